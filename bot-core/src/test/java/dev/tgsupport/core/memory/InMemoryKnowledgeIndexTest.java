package dev.tgsupport.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tgsupport.core.contract.KnowledgeIndexContract;
import dev.tgsupport.core.port.KnowledgeIndex;
import dev.tgsupport.core.port.KnowledgeIndex.VectorHit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryKnowledgeIndexTest extends KnowledgeIndexContract {
  @Override
  protected KnowledgeIndex index(int dimension) {
    return InMemoryKnowledgeIndex.create(dimension);
  }

  private final InMemoryKnowledgeIndex index = InMemoryKnowledgeIndex.create();

  private static float[] v(float... xs) {
    return xs;
  }

  @Test
  void limitKeepsTheBestAndTiesGoToTheSmallerId() {
    index.upsert(7, v(1, 0), Map.of());
    index.upsert(3, v(2, 0), Map.of());
    index.upsert(5, v(0, 1), Map.of());

    assertThat(index.search(v(1, 0), 2, -1, Map.of())).extracting(VectorHit::entryId).containsExactly(3L, 7L);
    assertThat(index.search(v(1, 0), 0, -1, Map.of())).isEmpty();
  }

  @Test
  void theDimensionGivenAtCreationAppliesFromTheStart() {
    InMemoryKnowledgeIndex fixed = InMemoryKnowledgeIndex.create(4);

    assertThatThrownBy(() -> fixed.upsert(1, v(1, 0), Map.of()))
        .hasMessage("vector must have length 4 (the index dimension), was 2");
    assertThatThrownBy(() -> InMemoryKnowledgeIndex.create(0)).hasMessage("dimension must be > 0, was 0");
  }

  @Test
  void theDimensionIsFixedByTheFirstVectorWhenNotGiven() {
    InMemoryKnowledgeIndex open = InMemoryKnowledgeIndex.create();
    open.upsert(1, v(1, 0, 0), Map.of());

    assertThatThrownBy(() -> open.upsert(2, v(1, 0), Map.of()))
        .hasMessage("vector must have length 3 (the index dimension), was 2");
  }
}
