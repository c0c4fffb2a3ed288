package dev.tgsupport.kaiten;

import java.util.List;

/**
 * What {@link KaitenBridge#check()} found: a newcomer's first diagnostic ({@code ./tgsupport kaiten check}).
 *
 * @param ok true when the token works, the board is readable, the configured column is on it and the board has a
 *     done column
 * @param tokenUser who the token belongs to ("Full Name (username, id N)"); null when the token failed
 * @param board the board's title and id; null when it could not be read
 * @param columns the board's columns and sub-columns as {@code "id title (type)"}; empty when unread
 * @param doneColumns the ids of columns counting as done
 * @param problems what is wrong, one sentence each, with what to do; empty when {@code ok}
 */
public record KaitenCheck(
    boolean ok, String tokenUser, String board, List<String> columns, List<Long> doneColumns,
    List<String> problems) {
  public KaitenCheck {
    columns = List.copyOf(columns);
    doneColumns = List.copyOf(doneColumns);
    problems = List.copyOf(problems);
  }
}
