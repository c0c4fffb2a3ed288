/**
 * Group moderation: {@link dev.tgsupport.core.moderation.SpamModeration} acts on messages judged spam (deletes them,
 * restricts their authors) and lets staff teach the spam detector with {@code /spam} and {@code /notspam}.
 */
package dev.tgsupport.core.moderation;
