package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tgsupport.kaiten.fake.KaitenModel.CardView;
import java.util.List;

/**
 * Maps {@code METHOD /path} under the API base to the model. A known path with another method is a 405, anything
 * else a 404 with no body, as Kaiten answers.
 */
final class KaitenRoutes {

  /** A successful answer: a JSON document, or {@code null} for 204-like empties (never used by Kaiten here). */
  record Answer(int status, JsonNode json) {
    boolean emptyList() {
      return json != null && json.isArray() && json.isEmpty();
    }
  }

  private final KaitenModel model;

  KaitenRoutes(KaitenModel model) {
    this.model = model;
  }

  Answer dispatch(String method, String path, Params params, String rawBody, long userId) {
    String[] s = path.replaceAll("^/+|/+$", "").split("/");
    int n = s.length;
    switch (s[0]) {
      case "users" -> {
        if (n == 2 && s[1].equals("current")) {
          requireMethod(method, "GET");
          return ok(model.currentUser(userId));
        }
        if (n == 1) {
          requireMethod(method, "GET");
          return ok(model.listUsers(params.limit(100), params.offset()));
        }
      }
      case "spaces" -> {
        if (n == 1) {
          requireMethod(method, "GET");
          return ok(model.listSpaces());
        }
        long spaceId = id(s[1]);
        if (n == 3 && s[2].equals("boards")) {
          requireMethod(method, "GET");
          return ok(model.listSpaceBoards(spaceId));
        }
        if (n == 3 && s[2].equals("external-webhooks")) {
          if (method.equals("GET")) {
            return ok(model.listWebhooks(spaceId));
          }
          requireMethod(method, "POST");
          return ok(model.webhookJson(model.createWebhook(spaceId, body(rawBody))));
        }
        if (n == 4 && s[2].equals("external-webhooks")) {
          // Kaiten answers 405 to GET and DELETE of one webhook; only PATCH works.
          requireMethod(method, "PATCH");
          return ok(model.webhookJson(model.updateWebhook(spaceId, id(s[3]), body(rawBody))));
        }
      }
      case "boards" -> {
        if (n >= 2) {
          long boardId = id(s[1]);
          if (n == 2) {
            requireMethod(method, "GET");
            return ok(model.getBoard(boardId));
          }
          if (n == 3 && s[2].equals("columns")) {
            requireMethod(method, "GET");
            return ok(model.listColumns(boardId));
          }
          if (n == 3 && s[2].equals("lanes")) {
            requireMethod(method, "GET");
            return ok(model.listLanes(boardId));
          }
        }
      }
      case "columns" -> {
        if (n == 3 && s[2].equals("subcolumns")) {
          requireMethod(method, "GET");
          return ok(model.listSubColumns(id(s[1])));
        }
      }
      case "card-types" -> {
        if (n == 1) {
          requireMethod(method, "GET");
          return ok(model.listCardTypes(params.limit(100), params.offset()));
        }
      }
      case "company" -> {
        if (n == 2 && s[1].equals("custom-properties")) {
          requireMethod(method, "GET");
          return ok(model.listCustomProperties(params.limit(100), params.offset()));
        }
      }
      case "tags" -> {
        if (n == 1) {
          if (method.equals("GET")) {
            return ok(model.listTags(params));
          }
          requireMethod(method, "POST");
          return ok(model.tagJson(model.createTag(body(rawBody))));
        }
      }
      case "cards" -> {
        return cards(method, s, params, rawBody, userId);
      }
      default -> {
        // Falls through to 404.
      }
    }
    throw ApiError.notFound();
  }

  private Answer cards(String method, String[] s, Params params, String rawBody, long userId) {
    int n = s.length;
    if (n == 1) {
      if (method.equals("GET")) {
        boolean description = params.listContains("additional_card_fields", "description");
        ArrayNode out = Json.array();
        List<KaitenModel.CardRec> cards = model.listCards(params);
        cards.forEach(c -> out.add(model.cardJson(c, description ? CardView.LIST_WITH_DESCRIPTION
            : CardView.LIST)));
        return ok(out);
      }
      requireMethod(method, "GET", "POST");
      return ok(model.cardJson(model.createCard(body(rawBody), userId), CardView.FLAT));
    }
    long cardId = id(s[1]);
    if (n == 2) {
      return switch (method) {
        case "GET" -> ok(model.cardJson(model.card(cardId), CardView.FULL));
        case "PATCH" -> ok(model.cardJson(model.updateCard(cardId, body(rawBody), userId), CardView.FULL));
        case "DELETE" -> ok(model.cardJson(model.deleteCard(cardId, userId), CardView.FULL));
        default -> throw ApiError.methodNotAllowed();
      };
    }
    switch (s[2]) {
      case "comments" -> {
        if (n == 3) {
          if (method.equals("GET")) {
            // Not paginated: limit and offset are ignored and the whole list comes back every time.
            ArrayNode out = Json.array();
            model.comments(cardId).forEach(c -> out.add(model.commentJson(c)));
            return ok(out);
          }
          requireMethod(method, "GET", "POST");
          return ok(model.commentJson(model.addComment(cardId, body(rawBody), userId)));
        }
        if (n == 4) {
          long commentId = id(s[3]);
          if (method.equals("PATCH")) {
            return ok(model.commentJson(model.updateComment(cardId, commentId, body(rawBody), userId)));
          }
          requireMethod(method, "PATCH", "DELETE");
          model.deleteComment(cardId, commentId, userId);
          return ok(Json.object().put("id", commentId));
        }
      }
      case "tags" -> {
        if (n == 3) {
          if (method.equals("GET")) {
            ArrayNode out = Json.array();
            model.card(cardId).tagIds.forEach(t -> out.add(model.cardTagJson(cardId, t)));
            return ok(out);
          }
          requireMethod(method, "GET", "POST");
          return ok(model.tagJson(model.addCardTag(cardId, body(rawBody))));
        }
        if (n == 4) {
          requireMethod(method, "DELETE");
          long tagId = id(s[3]);
          model.removeCardTag(cardId, tagId);
          return ok(Json.object().put("id", tagId));
        }
      }
      case "members" -> {
        if (n == 3) {
          if (method.equals("GET")) {
            ArrayNode out = Json.array();
            model.card(cardId).members.values().forEach(m -> out.add(model.memberJson(cardId, m)));
            return ok(out);
          }
          requireMethod(method, "GET", "POST");
          return ok(model.memberJson(cardId, model.addMember(cardId, body(rawBody))));
        }
        if (n == 4) {
          long memberId = id(s[3]);
          if (method.equals("PATCH")) {
            return ok(model.memberRoleJson(cardId, model.updateMember(cardId, memberId, body(rawBody))));
          }
          requireMethod(method, "PATCH", "DELETE");
          model.removeMember(cardId, memberId);
          return ok(Json.object().put("id", memberId));
        }
      }
      default -> {
        // Falls through to 404.
      }
    }
    throw ApiError.notFound();
  }

  private static Answer ok(JsonNode json) {
    return new Answer(200, json);
  }

  private static JsonNode body(String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiError.badRequest("request body must be a JSON object");
    }
    return Json.tryParse(raw).orElseThrow(() -> ApiError.badRequest("request body is not valid JSON"));
  }

  private static long id(String segment) {
    if (!segment.matches("\\d{1,18}")) {
      throw ApiError.notFound();
    }
    return Long.parseLong(segment);
  }

  private static void requireMethod(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw ApiError.methodNotAllowed();
  }
}
