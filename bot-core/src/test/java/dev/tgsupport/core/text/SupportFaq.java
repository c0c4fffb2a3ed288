package dev.tgsupport.core.text;

import dev.tgsupport.core.model.KnowledgeEntry;
import dev.tgsupport.core.model.KnowledgeSource;
import dev.tgsupport.core.model.KnowledgeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bilingual FAQ of "Tasky", a fictional task-tracking SaaS, for retrieval tests, with paraphrased and unrelated
 * questions. Public in the test-jar so every knowledge retriever (in-memory, PostgreSQL, vector) is measured on the
 * same data.
 */
public final class SupportFaq {
  static final long RESET_PASSWORD = 1;
  static final long RESET_PASSWORD_RU = 2;
  static final long ENABLE_2FA = 3;
  static final long ENABLE_2FA_RU = 4;
  static final long EXPORT_DATA = 5;
  static final long EXPORT_EXCEL_RU = 6;
  static final long DOWNLOAD_INVOICES = 7;
  static final long DOWNLOAD_INVOICES_RU = 8;
  static final long REFUND = 9;
  static final long REFUND_RU = 10;
  static final long API_LIMITS = 11;
  static final long API_LIMITS_RU = 12;
  static final long DELETE_ACCOUNT = 13;
  static final long DELETE_ACCOUNT_RU = 14;
  static final long CHANGE_EMAIL = 15;
  static final long CHANGE_EMAIL_RU = 16;
  static final long EMAIL_NOTIFICATIONS = 17;
  static final long NOTIFICATIONS_RU = 18;
  static final long CHANGE_PLAN = 19;
  static final long PAY_BY_CARD_RU = 20;
  static final long PAYMENT_DECLINED = 21;
  static final long CARD_DECLINED_RU = 22;
  static final long CANCEL_SUBSCRIPTION = 23;
  static final long CANCEL_SUBSCRIPTION_RU = 24;
  static final long CANNOT_LOG_IN_RU = 25;
  static final long API_KEY = 26;
  static final long API_KEY_RU = 27;
  static final long IMPORT_CSV = 28;
  static final long WEBHOOKS = 29;
  static final long TRIAL = 30;
  static final long TRIAL_RU = 31;
  static final long COMPANY_DETAILS_RU = 32;

  /** Never returned: a draft and an archived entry whose questions are asked verbatim in tests. */
  static final long DRAFT_ENTRY = 100;
  static final long ARCHIVED_ENTRY = 101;

  private static final Instant CREATED = Instant.parse("2026-01-10T09:00:00Z");

  /** A question worded differently from its entry, and the id of the entry that answers it. */
  public record Paraphrase(String query, long expectedId) {}

  /** English and Russian paraphrases (with typos and other word forms) of validated entries. */
  public static final List<Paraphrase> PARAPHRASES = List.of(
      new Paraphrase("I forgot my password, how can I reset it?", 1),
      new Paraphrase("pasword reset doesn't work", 1),
      new Paraphrase("How to turn on 2FA?", 3),
      new Paraphrase("can I export all my data to CSV", 5),
      new Paraphrase("where do I find invoices for previous months", 7),
      new Paraphrase("I'd like a refund for last month's charge", 9),
      new Paraphrase("Can I get my money back?", 9),
      new Paraphrase("What is the rate limit for API requests?", 11),
      new Paraphrase("please delete my account permanently", 13),
      new Paraphrase("how to delte my acount", 13),
      new Paraphrase("How can I update the email on my account?", 15),
      new Paraphrase("stop sending me notification emails", 17),
      new Paraphrase("How do I upgrade my plan?", 19),
      new Paraphrase("switch to another plan", 19),
      new Paraphrase("my card payment got declined, why?", 21),
      new Paraphrase("I want to cancel the subscription", 23),
      new Paraphrase("how to get an API key", 26),
      new Paraphrase("importing tasks from csv", 28),
      new Paraphrase("webhook setup", 29),
      new Paraphrase("how many days is the trial", 30),
      new Paraphrase("забыл пароль, как восстановить?", 2),
      new Paraphrase("не могу сбросить пороль", 2),
      new Paraphrase("как включить двухфакторную авторизацию", 4),
      new Paraphrase("выгрузка данных в эксель", 6),
      new Paraphrase("где найти закрывающие документы за прошлый месяц", 8),
      new Paraphrase("хочу вернуть деньги за подписку", 10),
      new Paraphrase("возврат средств", 10),
      new Paraphrase("какой лимит запросов к апи в минуту", 12),
      new Paraphrase("удалите мой аккаунт пожалуйста", 14),
      new Paraphrase("как удалить учетную запись", 14),
      new Paraphrase("как поменять электронную почту", 16),
      new Paraphrase("как выключить уведомления", 18),
      new Paraphrase("оплата подписки картой", 20),
      new Paraphrase("банк отклонил платеж картой", 22),
      new Paraphrase("отмена подписки", 24),
      new Paraphrase("не получается войти в аккаунт", 25),
      new Paraphrase("где найти ключ API", 27),
      new Paraphrase("сколько дней длится бесплатный пробный период", 31),
      new Paraphrase("поменять реквизиты в счетах", 32));

  /** Plausible questions about the same product that no entry answers. */
  public static final List<String> UNRELATED = List.of(
      "Do you have a mobile app for Android?",
      "Can I change the interface language to German?",
      "Is there a dark mode?",
      "How do I invite a colleague to my workspace?",
      "Where is your office located?",
      "Does Tasky integrate with Slack?",
      "How do I assign a task to someone else?",
      "Can I work offline?",
      "How do I change the time zone?",
      "How do I rename a project?",
      "Есть ли у вас мобильное приложение?",
      "Можно ли работать офлайн без интернета?",
      "Как добавить сотрудника в рабочее пространство?",
      "Есть ли тёмная тема оформления?",
      "Как настроить интеграцию с Telegram?",
      "Как поставить задаче срок выполнения?",
      "Где находится ваш офис?",
      "Как поменять часовой пояс?",
      "Как выйти из аккаунта на всех устройствах?");

  private SupportFaq() {}

  public static List<KnowledgeEntry> validated() {
    List<KnowledgeEntry> e = new ArrayList<>();
    e.add(en(RESET_PASSWORD, "How do I reset my password?",
        "Click \"Forgot password?\" on the sign-in page, or open Settings → Security → Reset password. "
            + "We email you a link that is valid for one hour.", "account", "password"));
    e.add(ru(RESET_PASSWORD_RU, "Как сбросить пароль?",
        "Нажмите «Забыли пароль?» на странице входа: мы пришлём ссылку для сброса, она действует час.",
        "аккаунт", "пароль"));
    e.add(en(ENABLE_2FA, "How do I enable two-factor authentication?",
        "Settings → Security → Two-factor authentication → Enable, then scan the QR code with an authenticator app "
            + "such as Google Authenticator.", "security", "2fa"));
    e.add(ru(ENABLE_2FA_RU, "Как включить двухфакторную аутентификацию?",
        "Настройки → Безопасность → Двухфакторная аутентификация → Включить, затем отсканируйте QR-код "
            + "в приложении-аутентификаторе.", "безопасность", "2fa"));
    e.add(en(EXPORT_DATA, "How can I export my data?",
        "Settings → Data → Export: choose CSV or JSON and we email you a download link when the file is ready.",
        "export", "data"));
    e.add(ru(EXPORT_EXCEL_RU, "Как выгрузить данные в Excel?",
        "Откройте «Отчёты» → «Экспорт» и выберите формат XLSX или CSV.", "экспорт", "отчёты"));
    e.add(en(DOWNLOAD_INVOICES, "Where can I download my invoices?",
        "Billing → Invoices lists every invoice as a PDF you can download.", "billing", "invoices"));
    e.add(ru(DOWNLOAD_INVOICES_RU, "Где скачать счета и закрывающие документы?",
        "Раздел «Оплата» → «Документы»: счета, акты и счета-фактуры в PDF.", "оплата", "документы"));
    e.add(en(REFUND, "How do I get a refund?",
        "Write to billing@tasky.example within 14 days of the charge; refunds reach your card in 5-10 business "
            + "days.", "billing", "refunds"));
    e.add(ru(REFUND_RU, "Как вернуть деньги за подписку?",
        "Напишите на billing@tasky.example в течение 14 дней после списания: деньги вернутся на карту за 5–10 "
            + "рабочих дней.", "оплата", "возврат"));
    e.add(en(API_LIMITS, "What are the API rate limits?",
        "Each token may make 100 requests per minute; beyond that the API answers 429 with Retry-After.",
        "api", "limits"));
    e.add(ru(API_LIMITS_RU, "Какие лимиты на запросы к API?",
        "100 запросов в минуту на токен; при превышении API отвечает 429 с заголовком Retry-After.", "api"));
    e.add(en(DELETE_ACCOUNT, "How do I delete my account?",
        "Settings → Account → Delete account. Your data is erased permanently after 30 days.", "account"));
    e.add(ru(DELETE_ACCOUNT_RU, "Как удалить аккаунт?",
        "Настройки → Аккаунт → Удалить аккаунт. Данные будут безвозвратно удалены через 30 дней.", "аккаунт"));
    e.add(en(CHANGE_EMAIL, "How do I change my email address?",
        "Settings → Profile → Email; confirm the change with the link we send to the new address.", "profile"));
    e.add(ru(CHANGE_EMAIL_RU, "Как сменить адрес электронной почты?",
        "Настройки → Профиль → Email; подтвердите смену по ссылке, которую мы пришлём на новый адрес.", "профиль"));
    e.add(en(EMAIL_NOTIFICATIONS, "How do I turn off email notifications?",
        "Settings → Notifications: untick the emails you do not want to receive.", "notifications"));
    e.add(ru(NOTIFICATIONS_RU, "Как отключить уведомления?",
        "Настройки → Уведомления: снимите галочки с ненужных уведомлений.", "уведомления"));
    e.add(en(CHANGE_PLAN, "How do I change my subscription plan?",
        "Billing → Plan → Change plan. Upgrades apply at once; downgrades at the end of the billing period.",
        "billing", "plans"));
    e.add(ru(PAY_BY_CARD_RU, "Как оплатить подписку банковской картой?",
        "Оплата → Способы оплаты → Добавить карту. Принимаем Visa, Mastercard и МИР.", "оплата"));
    e.add(en(PAYMENT_DECLINED, "Why was my payment declined?",
        "Usually the bank blocked the charge: check the card limit and 3-D Secure, or try another card.",
        "billing"));
    e.add(ru(CARD_DECLINED_RU, "Почему банк отклоняет платёж по карте?",
        "Чаще всего банк блокирует списание: проверьте лимит карты и 3-D Secure или попробуйте другую карту.",
        "оплата"));
    e.add(en(CANCEL_SUBSCRIPTION, "How do I cancel my subscription?",
        "Billing → Plan → Cancel subscription. You keep access until the end of the paid period.", "billing"));
    e.add(ru(CANCEL_SUBSCRIPTION_RU, "Как отменить подписку?",
        "Оплата → Тариф → Отменить подписку. Доступ сохранится до конца оплаченного периода.", "оплата"));
    e.add(ru(CANNOT_LOG_IN_RU, "Не могу войти в аккаунт, что делать?",
        "Проверьте раскладку и Caps Lock, затем сбросьте пароль. Если вход по-прежнему не работает, напишите нам.",
        "аккаунт", "вход"));
    e.add(en(API_KEY, "Where do I find my API key?",
        "Settings → Developers → API keys. Create a key per integration and keep it secret.", "api"));
    e.add(ru(API_KEY_RU, "Где взять API-ключ?",
        "Настройки → Разработчикам → API-ключи. Создайте отдельный ключ для каждой интеграции.", "api"));
    e.add(en(IMPORT_CSV, "How do I import tasks from a CSV file?",
        "Projects → Import → CSV. The first row must hold the column names.", "import"));
    e.add(en(WEBHOOKS, "How do I set up webhooks?",
        "Settings → Developers → Webhooks → Add endpoint; we sign every call with your secret.", "api", "webhooks"));
    e.add(en(TRIAL, "How long is the free trial?",
        "14 days with every Pro feature; no card needed.", "billing", "trial"));
    e.add(ru(TRIAL_RU, "Сколько длится пробный период?",
        "14 дней со всеми функциями тарифа Pro, без привязки карты.", "оплата", "пробный период"));
    e.add(ru(COMPANY_DETAILS_RU, "Как изменить реквизиты компании в счёте?",
        "Оплата → Реквизиты: укажите ИНН и КПП, новые счета выйдут с новыми реквизитами.", "оплата", "счета"));
    return e;
  }

  /** Entries that must never be returned: a draft and an archived one. */
  public static List<KnowledgeEntry> notValidated() {
    return List.of(
        entry(DRAFT_ENTRY, "How do I merge two workspaces?", "Draft: not decided yet.", KnowledgeStatus.DRAFT,
            "en", List.of()),
        entry(ARCHIVED_ENTRY, "Как перенести задачи между рабочими пространствами?", "Устарело.",
            KnowledgeStatus.ARCHIVED, "ru", List.of()));
  }

  /** Validated and not validated together, as storage would list them. */
  public static List<KnowledgeEntry> all() {
    List<KnowledgeEntry> all = new ArrayList<>(validated());
    all.addAll(notValidated());
    return all;
  }

  static KnowledgeEntry entry(long id, String question, String answer, KnowledgeStatus status, String language,
      List<String> tags) {
    return new KnowledgeEntry(id, question, answer, tags, KnowledgeSource.MANUAL, status, language,
        status == KnowledgeStatus.VALIDATED ? "support-lead" : null,
        status == KnowledgeStatus.VALIDATED ? CREATED : null, CREATED);
  }

  private static KnowledgeEntry en(long id, String question, String answer, String... tags) {
    return entry(id, question, answer, KnowledgeStatus.VALIDATED, "en", List.of(tags));
  }

  private static KnowledgeEntry ru(long id, String question, String answer, String... tags) {
    return entry(id, question, answer, KnowledgeStatus.VALIDATED, "ru", List.of(tags));
  }
}
