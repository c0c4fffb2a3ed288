package dev.tgsupport.kaiten.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a card in the fake, for assertions.
 *
 * @param id the card id
 * @param title the title
 * @param description nullable
 * @param boardId the board
 * @param columnId the column or sub-column
 * @param laneId nullable
 * @param typeId nullable
 * @param ownerId who created it (the token's user for API calls)
 * @param state 1 queued, 2 in progress, 3 done, derived from the column type
 * @param condition 1 live, 2 archived, 3 deleted
 * @param externalId as text; nullable
 * @param properties custom properties by key ({@code id_15})
 * @param tags tag names in the order added
 * @param memberIds members' user ids
 * @param responsibleId the responsible member; nullable
 * @param commentsTotal comments, deleted ones included
 * @param created creation time
 * @param updated last change
 * @param lastMovedToDoneAt nullable
 */
public record FakeCard(
    long id,
    String title,
    String description,
    long boardId,
    long columnId,
    Long laneId,
    Long typeId,
    long ownerId,
    int state,
    int condition,
    String externalId,
    Map<String, JsonNode> properties,
    List<String> tags,
    List<Long> memberIds,
    Long responsibleId,
    int commentsTotal,
    Instant created,
    Instant updated,
    Instant lastMovedToDoneAt) {

  public FakeCard {
    properties = Map.copyOf(properties);
    tags = List.copyOf(tags);
    memberIds = List.copyOf(memberIds);
  }

  public boolean done() {
    return state == 3;
  }
}
