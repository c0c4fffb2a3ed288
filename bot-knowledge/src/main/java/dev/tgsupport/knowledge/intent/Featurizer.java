package dev.tgsupport.knowledge.intent;

import dev.tgsupport.core.InvalidInputException;
import dev.tgsupport.knowledge.intent.LexicalFeatures.Sparse;

/** Turns an embedding and its text into the model's weighted features. Immutable, thread-safe. */
record Featurizer(int dimension, LexicalFeatures lexical, float embeddingWeight, float lexicalWeight) {

  SoftmaxModel.Features features(float[] embedding, String text) {
    if (embedding.length != dimension) {
      throw new InvalidInputException("embedding",
          "must have length " + dimension + " (the model's dimension), was " + embedding.length);
    }
    double norm = 0;
    for (float v : embedding) {
      norm += (double) v * v;
    }
    // A zero vector (an embedder with nothing to say) leaves the decision to the lexical features.
    float scale = norm == 0 ? 0 : (float) (embeddingWeight / Math.sqrt(norm));
    float[] dense = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      dense[i] = embedding[i] * scale;
    }
    Sparse lex = lexical.of(text);
    float[] values = lex.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] *= lexicalWeight;
    }
    return new SoftmaxModel.Features(dense, new Sparse(lex.indices(), values));
  }
}
