package dev.tgsupport.core.text;

import java.util.Arrays;
import java.util.Set;

/**
 * Words too common to tell support questions apart. Besides function words the lists hold question words,
 * politeness and greetings: "how", "please", "подскажите" and "привет" add nothing to which FAQ entry a question
 * matches, and left in they would make every "how do I …" question look alike. Negations are in too: lexical
 * matching cannot use them, and "не приходит код" must still find "код не приходит".
 *
 * <p>Spelled as {@link TextNormalizer#normalize} leaves them: lower case, "ё" as "е", no apostrophes.
 */
final class StopWords {
  private StopWords() {}

  // Set.copyOf, unlike Set.of, tolerates a word listed twice.
  private static Set<String> words(String... words) {
    return Set.copyOf(Arrays.asList(words));
  }

  static final Set<String> ENGLISH = words(
      "a", "an", "the", "and", "or", "but", "if", "then", "else", "of", "at", "by", "for", "with", "about", "to",
      "from", "in", "on", "into", "onto", "off", "out", "over", "up", "down", "is", "are", "was", "were", "be",
      "been", "being", "am", "do", "does", "did", "doing", "i", "me", "my", "mine", "myself", "we", "us", "our",
      "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their",
      "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom", "whose", "how", "when",
      "where", "why", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "have", "has",
      "had", "having", "not", "no", "so", "as", "than", "too", "very", "just", "also", "any", "some", "all",
      "please", "pls", "plz", "im", "ive", "id", "ill", "dont", "doesnt", "didnt", "cant", "cannot", "wont",
      "isnt", "arent", "wasnt", "whats", "hows", "theres", "get", "got", "want", "need", "like", "hi", "hello",
      "hey", "thanks", "thank", "anyone", "someone", "somebody", "else", "many", "much", "u", "ur", "able",
      "way");

  static final Set<String> RUSSIAN = words(
      "и", "в", "во", "не", "ни", "что", "чтобы", "чтоб", "он", "она", "оно", "они", "на", "я", "с", "со", "как",
      "а", "то", "все", "всех", "так", "его", "но", "да", "ты", "к", "ко", "у", "же", "вы", "за", "бы", "по",
      "только", "ее", "мне", "меня", "мой", "моя", "мое", "мои", "моего", "моей", "моему", "моим", "моих", "мою",
      "было", "был", "была", "были", "быть", "будет", "вот", "от", "еще", "нет", "о", "об", "обо", "из", "ему",
      "теперь", "когда", "даже", "ну", "ли", "если", "уже", "или", "до", "вас", "вам", "ваш", "ваша", "ваше",
      "ваши", "вашего", "вашей", "там", "тут", "где", "есть", "надо", "нужно", "для", "мы", "нас", "нам", "наш",
      "их", "чем", "сам", "без", "чего", "кто", "этот", "это", "эта", "эти", "этого", "этой", "этом", "эту",
      "тот", "та", "те", "того", "тому", "том", "тем", "при", "про", "через", "над", "под", "после", "перед",
      "какой", "какая", "какое", "какие", "каким", "почему", "зачем", "куда", "откуда", "сколько", "можно",
      "могу", "может", "можете", "мочь", "хочу", "хотел", "хотела", "хотим", "пожалуйста", "подскажите",
      "скажите", "подскажи", "привет", "здравствуйте", "добрый", "спасибо", "себе", "себя", "свой", "свою",
      "свои", "своего", "уж", "ведь", "тоже", "также", "очень", "просто", "вообще", "кстати", "типа", "вроде",
      "ой", "ах", "им", "ей", "ним", "ней", "нее", "него", "них", "ж", "бы", "ка");

  static boolean contains(String token) {
    return ENGLISH.contains(token) || RUSSIAN.contains(token);
  }
}
