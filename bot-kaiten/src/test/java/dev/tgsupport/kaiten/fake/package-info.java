/**
 * A loopback fake of the Kaiten REST API for tests: {@link dev.tgsupport.kaiten.fake.FakeKaitenServer} serves
 * {@code /api/latest/...} and {@code /api/v1/...} over real HTTP as {@code contracts/kaiten.md} describes Kaiten, with
 * Bearer auth, the 5 requests-per-second limit and its headers, cards, columns, comments, tags, members, external
 * webhook delivery and scripted faults ({@link dev.tgsupport.kaiten.fake.Fault}). Published in this module's
 * test-jar so other modules' tests can reuse it.
 *
 * <p>Everything is non-null unless documented otherwise; absent results are {@link java.util.Optional}.
 */
package dev.tgsupport.kaiten.fake;
