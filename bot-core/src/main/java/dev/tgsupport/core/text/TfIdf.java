package dev.tgsupport.core.text;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Inverse document frequencies over a fixed collection, and the unit-length TF-IDF vectors built from them. Term
 * frequency is sublinear (1 + ln tf) so a word repeated in one example does not dominate it. A term the collection
 * never saw gets the weight of a term in half a document: it still counts in the norm, so a query full of unknown
 * words scores low against everything, as it should.
 */
final class TfIdf {
  private final Map<String, Double> idf;
  private final double unseenIdf;

  private TfIdf(Map<String, Double> idf, double unseenIdf) {
    this.idf = idf;
    this.unseenIdf = unseenIdf;
  }

  static TfIdf fit(Collection<? extends Map<String, Integer>> documents) {
    Map<String, Integer> df = new HashMap<>();
    for (Map<String, Integer> doc : documents) {
      for (String term : doc.keySet()) {
        df.merge(term, 1, Integer::sum);
      }
    }
    int n = documents.size();
    Map<String, Double> idf = new HashMap<>(df.size() * 2);
    df.forEach((term, count) -> idf.put(term, idf(n, count)));
    return new TfIdf(idf, idf(n, 0));
  }

  /** Smoothed so that a term in every document still weighs more than nothing. */
  static double idf(int documents, int documentFrequency) {
    return Math.log(1.0 + (documents + 1.0) / (documentFrequency + 0.5));
  }

  double idf(String term) {
    Double v = idf.get(term);
    return v == null ? unseenIdf : v;
  }

  /** The unit TF-IDF vector of these counts; empty for empty counts. */
  Map<String, Double> unitVector(Map<String, Integer> counts) {
    Map<String, Double> v = new HashMap<>(counts.size() * 2);
    counts.forEach((term, tf) -> v.put(term, (1.0 + Math.log(tf)) * idf(term)));
    return scaleToUnit(v, 1.0);
  }

  /** Multiplies {@code v} in place so its length becomes {@code length}; an all-zero vector is left alone. */
  static Map<String, Double> scaleToUnit(Map<String, Double> v, double length) {
    double sum = 0;
    for (double x : v.values()) {
      sum += x * x;
    }
    if (sum > 0) {
      double f = length / Math.sqrt(sum);
      v.replaceAll((k, x) -> x * f);
    }
    return v;
  }

  static double dot(Map<String, Double> a, Map<String, Double> b) {
    if (a.size() > b.size()) {
      Map<String, Double> t = a;
      a = b;
      b = t;
    }
    double sum = 0;
    for (Map.Entry<String, Double> e : a.entrySet()) {
      Double other = b.get(e.getKey());
      if (other != null) {
        sum += e.getValue() * other;
      }
    }
    return sum;
  }
}
