/**
 * Intent classification trained from labelled examples: {@link dev.tgsupport.knowledge.intent.IntentTrainer} builds
 * a {@link dev.tgsupport.knowledge.intent.LearnedIntentClassifier} (sentence embedding + character n-grams, softmax
 * regression, calibrated out-of-scope decision) behind bot-core's {@code IntentClassifier} port.
 */
package dev.tgsupport.knowledge.intent;
