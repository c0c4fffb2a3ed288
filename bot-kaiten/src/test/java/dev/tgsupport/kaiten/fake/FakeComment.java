package dev.tgsupport.kaiten.fake;

import java.time.Instant;

/**
 * A snapshot of a comment in the fake, for assertions.
 *
 * @param id the comment id
 * @param cardId the card
 * @param text the text
 * @param authorId who wrote it
 * @param internal a team-only note
 * @param deleted deleted, still listed
 * @param edited changed after posting
 * @param created when posted
 */
public record FakeComment(
    long id, long cardId, String text, long authorId, boolean internal, boolean deleted, boolean edited,
    Instant created) {}
