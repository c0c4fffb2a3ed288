package dev.tgsupport.telegram.fake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code text} + {@code parse_mode} into the plain text Telegram stores, failing like Telegram on markup it
 * rejects. MarkdownV2 follows tdlib's {@code parse_markdown_v2} (reserved characters, entity nesting, error wording
 * with UTF-8 byte offsets); HTML and legacy Markdown check tag/delimiter balance only. Entities themselves are not
 * reported back.
 */
final class Markup {

  private static final String V2_RESERVED = "_*[]()~`>#+-=|{}.!";
  private static final Set<String> HTML_TAGS = Set.of("a", "b", "strong", "i", "em", "s", "strike", "del", "u",
      "ins", "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote");

  private Markup() {}

  static String toPlainText(String text, String parseMode) {
    if (parseMode == null || parseMode.isEmpty()) {
      return text;
    }
    switch (parseMode.toLowerCase(Locale.ROOT)) {
      case "html":
        return html(text);
      case "markdown":
        return markdown(text);
      case "markdownv2":
        return markdownV2(text);
      default:
        throw ApiException.badRequest("unsupported parse_mode");
    }
  }

  private record Open(String type, int at) {}

  static String markdownV2(String text) {
    StringBuilder out = new StringBuilder();
    Deque<Open> open = new ArrayDeque<>();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < n && text.charAt(i + 1) > 0 && text.charAt(i + 1) <= 126) {
        out.append(text.charAt(++i));
        continue;
      }
      String top = open.isEmpty() ? null : open.peek().type();
      boolean inCode = "Code".equals(top) || "Pre".equals(top) || "PreCode".equals(top);
      if ((inCode ? "`" : V2_RESERVED).indexOf(c) < 0) {
        out.append(c);
        continue;
      }
      // Block quotations: '>' (or '**>' for an expandable one) opening a line is syntax, not text.
      if (!inCode && atLineStart(text, i)) {
        if (c == '>') {
          continue;
        }
        if (text.startsWith("**>", i)) {
          i += 2;
          continue;
        }
      }
      boolean closes = top != null && closes(top, text, i);
      if (!closes) {
        int begin = i;
        String type;
        switch (c) {
          case '_':
            if (charAt(text, i + 1) == '_') {
              type = "Underline";
              i++;
            } else {
              type = "Italic";
            }
            break;
          case '*':
            type = "Bold";
            break;
          case '~':
            type = "Strikethrough";
            break;
          case '|':
            if (charAt(text, i + 1) != '|') {
              throw reserved(c);
            }
            type = "Spoiler";
            i++;
            break;
          case '[':
            type = "TextUrl";
            break;
          case '!':
            if (charAt(text, i + 1) != '[') {
              throw reserved(c);
            }
            type = "CustomEmoji";
            i++;
            break;
          case '`':
            if (charAt(text, i + 1) == '`' && charAt(text, i + 2) == '`') {
              i += 3;
              type = "Pre";
              int languageEnd = i;
              while (languageEnd < n && !isSpace(text.charAt(languageEnd)) && text.charAt(languageEnd) != '`') {
                languageEnd++;
              }
              if (i != languageEnd && languageEnd < n && text.charAt(languageEnd) != '`') {
                type = "PreCode";
                i = languageEnd;
              }
              char first = charAt(text, i);
              if (first == '\n' || first == '\r') {
                char second = charAt(text, i + 1);
                i += (second == '\n' || second == '\r') && second != first ? 2 : 1;
              }
              i--;
            } else {
              type = "Code";
            }
            break;
          default:
            throw reserved(c);
        }
        open.push(new Open(type, begin));
      } else {
        Open entity = open.pop();
        switch (entity.type()) {
          case "Underline":
          case "Spoiler":
            i++;
            break;
          case "Pre":
          case "PreCode":
            i += 2;
            break;
          case "TextUrl":
          case "CustomEmoji":
            if (charAt(text, i + 1) == '(') {
              i += 2;
              int urlBegin = i;
              while (i < n && text.charAt(i) != ')') {
                i += text.charAt(i) == '\\' && i + 1 < n ? 2 : 1;
              }
              if (i >= n) {
                throw parseError("Can't find end of a URL at byte offset " + byteOffset(text, urlBegin));
              }
            }
            break;
          default:
            break;
        }
      }
    }
    if (!open.isEmpty()) {
      Open entity = open.peek();
      throw parseError(
          "Can't find end of " + entity.type() + " entity at byte offset " + byteOffset(text, entity.at()));
    }
    return out.toString();
  }

  private static boolean closes(String type, String text, int i) {
    char c = text.charAt(i);
    switch (type) {
      case "Bold":
        return c == '*';
      case "Italic":
        return c == '_' && charAt(text, i + 1) != '_';
      case "Underline":
        return c == '_' && charAt(text, i + 1) == '_';
      case "Code":
        return c == '`';
      case "Pre":
      case "PreCode":
        return c == '`' && charAt(text, i + 1) == '`' && charAt(text, i + 2) == '`';
      case "TextUrl":
      case "CustomEmoji":
        return c == ']';
      case "Strikethrough":
        return c == '~';
      case "Spoiler":
        return c == '|' && charAt(text, i + 1) == '|';
      default:
        return false;
    }
  }

  static String html(String text) {
    StringBuilder out = new StringBuilder();
    Deque<Open> open = new ArrayDeque<>();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '&') {
        int semicolon = text.indexOf(';', i);
        String decoded = semicolon > i && semicolon - i <= 10 ? decodeEntity(text.substring(i + 1, semicolon)) : null;
        if (decoded != null) {
          out.append(decoded);
          i = semicolon;
        } else {
          out.append(c);
        }
        continue;
      }
      if (c != '<') {
        out.append(c);
        continue;
      }
      int begin = i++;
      if (i < n && text.charAt(i) == '/') {
        int nameStart = ++i;
        while (i < n && text.charAt(i) != '>') {
          i++;
        }
        if (i >= n) {
          throw parseError("Unclosed end tag at byte offset " + byteOffset(text, begin));
        }
        String name = text.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
        if (open.isEmpty()) {
          throw parseError("Unexpected end tag at byte offset " + byteOffset(text, begin));
        }
        String expected = open.pop().type();
        if (!name.isEmpty() && !name.equals(expected)) {
          throw parseError("Unmatched end tag at byte offset " + byteOffset(text, begin) + ", expected \"</" + expected
              + ">\", found \"</" + name + ">\"");
        }
        continue;
      }
      int nameStart = i;
      while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '-')) {
        i++;
      }
      String name = text.substring(nameStart, i).toLowerCase(Locale.ROOT);
      if (!HTML_TAGS.contains(name)) {
        throw parseError("Unsupported start tag \"" + name + "\" at byte offset " + byteOffset(text, begin));
      }
      char quote = 0;
      while (i < n && (quote != 0 || text.charAt(i) != '>')) {
        char a = text.charAt(i);
        if (quote == 0 && (a == '"' || a == '\'')) {
          quote = a;
        } else if (a == quote) {
          quote = 0;
        }
        i++;
      }
      if (i >= n) {
        throw parseError("Unclosed start tag at byte offset " + byteOffset(text, begin));
      }
      open.push(new Open(name, begin));
    }
    if (!open.isEmpty()) {
      throw parseError("Can't find end tag corresponding to start tag \"" + open.peek().type() + "\"");
    }
    return out.toString();
  }

  /** Legacy Markdown: {@code *bold*}, {@code _italic_}, {@code `code`}, {@code ```pre```}, {@code [text](url)}. */
  static String markdown(String text) {
    StringBuilder out = new StringBuilder();
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\\' && "_*`[".indexOf(charAt(text, i + 1)) >= 0 && i + 1 < n) {
        out.append(text.charAt(++i));
        continue;
      }
      if ("_*`[".indexOf(c) < 0) {
        out.append(c);
        continue;
      }
      int begin = i;
      int end;
      if (c == '[') {
        end = text.indexOf(']', i + 1);
        if (end < 0) {
          throw unclosed(text, begin);
        }
        out.append(text, i + 1, end);
        if (charAt(text, end + 1) == '(') {
          int close = text.indexOf(')', end + 2);
          if (close < 0) {
            throw unclosed(text, begin);
          }
          end = close;
        }
      } else if (text.startsWith("```", i)) {
        end = text.indexOf("```", i + 3);
        if (end < 0) {
          throw unclosed(text, begin);
        }
        out.append(text, i + 3, end);
        end += 2;
      } else {
        end = text.indexOf(c, i + 1);
        if (end < 0) {
          throw unclosed(text, begin);
        }
        out.append(text, i + 1, end);
      }
      i = end;
    }
    return out.toString();
  }

  private static String decodeEntity(String name) {
    switch (name) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "amp":
        return "&";
      case "quot":
        return "\"";
      default:
        break;
    }
    if (name.startsWith("#") && name.length() > 1) {
      try {
        int code = name.startsWith("#x") || name.startsWith("#X")
            ? Integer.parseInt(name.substring(2), 16)
            : Integer.parseInt(name.substring(1));
        return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean atLineStart(String text, int i) {
    return i == 0 || text.charAt(i - 1) == '\n';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0 || c == 0x0B;
  }

  private static char charAt(String text, int i) {
    return i < text.length() ? text.charAt(i) : 0;
  }

  private static int byteOffset(String text, int charIndex) {
    return text.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
  }

  private static ApiException reserved(char c) {
    return parseError("Character '" + c + "' is reserved and must be escaped with the preceding '\\'");
  }

  private static ApiException unclosed(String text, int begin) {
    return parseError("Can't find end of the entity starting at byte offset " + byteOffset(text, begin));
  }

  private static ApiException parseError(String detail) {
    return ApiException.badRequest("can't parse entities: " + detail);
  }
}
