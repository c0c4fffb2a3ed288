package dev.tgsupport.knowledge.hnsw;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's HNSW format with our graph parameters and a dimension limit of {@link #MAX_DIMENSION} instead of Lucene's
 * 1,024, so OpenAI-sized embeddings (1,536 or 3,072) fit.
 *
 * <p>It writes exactly what {@link Lucene99HnswVectorsFormat} writes and carries that format's name, so segments are
 * read back by the stock format found through Lucene's SPI: nothing needs registering, and an index written here
 * opens with plain Lucene. Lucene's limit guards its own writer only; its readers take any dimension.
 */
final class WideHnswVectorsFormat extends KnnVectorsFormat {
  static final int MAX_DIMENSION = 4096;

  private final Lucene99HnswVectorsFormat delegate;

  WideHnswVectorsFormat(int maxConnections, int beamWidth) {
    super("Lucene99HnswVectorsFormat");
    this.delegate = new Lucene99HnswVectorsFormat(maxConnections, beamWidth);
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return delegate.fieldsWriter(state);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return delegate.fieldsReader(state);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return MAX_DIMENSION;
  }

  @Override
  public String toString() {
    return "Wide" + delegate;
  }
}
