/// The words of every refusal, in English and Arabic. `{name}` is replaced by the refusal's
/// argument of that name; arguments that name a stage, a role, an action or a kind of thing are
/// given in the message's language.
public enum Messages {
    public static func text(_ code: RefusalCode, _ arguments: [String: String], _ language: Language) -> String {
        let pair = table[code]!
        // One pass over the template, so that an argument holding "{…}" (a name typed by anyone) stays as typed.
        var text = ""
        var rest = Substring(language == .arabic ? pair.ar : pair.en)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            text += rest[..<open]
            let key = String(rest[rest.index(after: open)..<close])
            text += arguments[key].map { localized(key, $0, language) } ?? "{\(key)}"
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        guard let row = arguments["row"] else { return text }
        return (language == .arabic ? "البند \(row): " : "item \(row): ") + text
    }

    /// An argument as the message shows it: names of stages, roles, actions and kinds translated.
    static func localized(_ key: String, _ value: String, _ language: Language) -> String {
        let separator = language == .arabic ? "، " : ", "
        switch key {
        case "stage": return Stage(rawValue: value)?.name(in: language) ?? value
        case "stages":
            return value.split(separator: ",").map { Stage(rawValue: String($0))?.name(in: language) ?? String($0) }
                .joined(separator: language == .arabic ? " أو " : " or ")
        case "role", "accountRole": return LabRole(rawValue: value)?.name(in: language) ?? value
        case "roles":
            return value.split(separator: ",").map { LabRole(rawValue: String($0))?.name(in: language) ?? String($0) }
                .joined(separator: language == .arabic ? " أو " : " or ")
        case "action": return LabAction(rawValue: value)?.name(in: language) ?? value
        case "minimum", "maximum": return duration(minutes: Int(value) ?? 0, language)
        case "seconds": return wait(seconds: Int(value) ?? 0, language)
        case "origin", "field", "rule", "moderation": return terms[value].map { language == .arabic ? $0.ar : $0.en } ?? value
        case "kind": return kinds[value].map { language == .arabic ? $0.ar : $0.en } ?? value
        case "steps", "owners", "choices", "painPoints", "columns":
            return value.split(separator: ",").joined(separator: separator)
        default: return value
        }
    }

    /// A vote window's bound in words: "15 minutes", "90 days".
    static func duration(minutes: Int, _ language: Language) -> String {
        let (count, en, ar) = minutes % 1440 == 0 ? (minutes / 1440, "days", "يومًا")
            : minutes % 60 == 0 ? (minutes / 60, "hours", "ساعة") : (minutes, "minutes", "دقيقة")
        return "\(count) " + (language == .arabic ? ar : en)
    }

    /// How long to wait, in words: "8 seconds", under two minutes; else "5 minutes", rounded up.
    static func wait(seconds: Int, _ language: Language) -> String {
        guard seconds >= 120 else { return "\(seconds) " + (language == .arabic ? "ثانية" : seconds == 1 ? "second" : "seconds") }
        return "\((seconds + 59) / 60) " + (language == .arabic ? "دقيقة" : "minutes")
    }

    /// The fixed words some arguments name: a ballot's origin, a form's field, a database's rule.
    static let terms: [String: (en: String, ar: String)] = [
        "online": ("cast online", "مُدلى بها إلكترونيًا"), "in-person": ("recorded in person", "مسجّلة حضوريًا"),
        "start date": ("start date", "تاريخ البداية"), "end date": ("end date", "تاريخ النهاية"),
        "session date": ("session date", "تاريخ الجلسة"), "opening time": ("opening time", "وقت الفتح"),
        "closing time": ("closing time", "وقت الإغلاق"),
        "a unique key": ("a unique key", "مفتاح فريد"), "a rule held by a trigger": ("a rule held by a trigger", "قاعدة يحفظها مُشغّل"),
        "a check": ("a check", "شرط تحقق"), "a reference": ("a reference", "مرجع"), "a required value": ("a required value", "قيمة مطلوبة"),
        "a constraint": ("a constraint", "قيد"),
        "civil ID number": ("civil ID number", "الرقم المدني"), "year of birth": ("year of birth", "سنة الميلاد"),
        "account name": ("account name", "اسم الحساب"), "participant name": ("participant name", "اسم المشارك"),
        "institution": ("institution", "اسم الجهة"), "phase name": ("phase name", "اسم المرحلة"),
        "lab name": ("lab name", "اسم المختبر"), "sector": ("sector", "القطاع"),
        "target service": ("target service", "الخدمة المستهدفة"), "place": ("place", "المكان"),
        "vote question": ("vote question", "سؤال التصويت"), "poll option": ("poll option", "خيار الاستطلاع"),
        "pain point text": ("pain point text", "نص نقطة الألم"), "improvement text": ("improvement text", "نص التحسين"),
        "review reasons": ("review reasons", "أسباب المراجعة"), "document hash": ("document hash", "بصمة الوثيقة"),
        "code": ("code", "الرمز"),
        // Where a contribution stands in moderation.
        "pending": ("awaiting moderation", "بانتظار الموافقة على النشر"), "published": ("published", "النشر"),
        "declined": ("declined", "عدم النشر"),
    ]

    /// What a `notFound` or `nameTaken` refusal is about.
    static let kinds: [String: (en: String, ar: String)] = [
        "phase": ("phase", "مرحلة"), "lab": ("lab", "مختبر"), "service": ("service", "خدمة"),
        "improvement": ("improvement", "تحسين"), "painPoint": ("pain point", "نقطة ألم"), "vote": ("vote", "تصويت"),
        "participant": ("participant with code", "مشارك بالرمز"), "account": ("account", "حساب"),
        "map": ("imported map for service", "خريطة مستوردة للخدمة"), "file": ("file", "ملف"),
        "lifeEvent": ("life event", "رحلة حياة"),
    ]

    static let table: [RefusalCode: (en: String, ar: String)] = [
        .roleForbids: ("to {action} is for {roles}, not {role}",
                       "{action} من صلاحية {roles}، لا {role}"),
        .notYourLab: ("{name} does not facilitate the lab '{lab}'; the programme office assigns its facilitators",
                      "{name} ليس ميسّرًا لمختبر '{lab}'؛ يعيّن مكتب البرنامج ميسّريه"),
        .notYourInstitution: ("{name} acts for {own}, not for '{institution}'",
                              "{name} يمثّل {own}، لا '{institution}'"),
        .institutionNotInService: ("{name} acts for {own}, which takes no part in service '{service}'",
                                   "{name} يمثّل {own}، وهي لا تشارك في الخدمة '{service}'"),
        .notYourPhase: ("{name} takes part in another phase than '{phase}'",
                        "{name} مسجّل في مرحلة غير '{phase}'"),
        .needsInstitution: ("the account '{name}' ({role}) has no institution; the programme office must set one",
                            "الحساب '{name}' ({role}) بلا جهة؛ على مكتب البرنامج تحديدها"),
        .unknownMember: ("there is no account named '{name}' (and no participant with that code); the programme office creates accounts with `masar account add`",
                         "لا يوجد حساب باسم '{name}' (ولا مشارك بهذا الرمز)؛ ينشئ مكتب البرنامج الحسابات بالأمر masar account add"),
        .roleDisagrees: ("'{name}' is a {accountRole} account, not {role}; leave out --role or give {accountRole}",
                         "الحساب '{name}' بدور {accountRole} لا {role}؛ احذف ‎--role أو اكتب {accountRole}"),
        .firstAccountIsProgrammeOffice: ("the database has no account yet: the first one is the programme office's (--for programme-office), and needs no --as",
                                         "لا حسابات بعد: الحساب الأول لمكتب البرنامج (‎--for programme-office) ولا يحتاج ‎--as"),
        .accountsByProgrammeOffice: ("accounts are given out by the programme office: add --as with a programme-office account",
                                     "يمنح مكتب البرنامج الحسابات: أضف ‎--as باسم حساب لمكتب البرنامج"),
        .notYourBallot: ("{name} cannot cast or withdraw the ballot of {code}; only the participant does, or a facilitator records it in person",
                         "لا يستطيع {name} الإدلاء ببطاقة المشارك {code} أو سحبها؛ يفعل ذلك المشارك نفسه، أو يسجّلها الميسّر حضوريًا"),
        .facilitatorNotAnAccount: ("'{name}' is not a facilitator's account",
                                   "'{name}' ليس حساب ميسّر"),
        .notFound: ("no {kind} {id}", "لم يُعثر على {kind} {id}"),
        .nameTaken: ("the name '{name}' is taken by another {kind}", "الاسم '{name}' مستخدم مسبقًا ({kind})"),
        .badDate: ("{field} '{value}' is not a date like {example}", "{field} '{value}' ليس تاريخًا مثل {example}"),
        .endsBeforeStart: ("a phase cannot end before it starts", "لا يمكن أن تنتهي المرحلة قبل أن تبدأ"),
        .negativeAttendance: ("attendance cannot be negative", "لا يمكن أن يكون عدد الحضور سالبًا"),
        .serviceInAnotherLab: ("service '{service}' belongs to another lab", "الخدمة '{service}' تتبع مختبرًا آخر"),
        .mapFrozen: ("service '{service}' is signed off; a signed-off map is frozen",
                     "الخدمة '{service}' معتمدة؛ لا تتغير خريطة معتمدة"),
        .mapInReview: ("service '{service}' is in review; request amendments before changing its map",
                       "الخدمة '{service}' قيد المراجعة؛ اطلب تعديلات قبل تغيير خريطتها"),
        .painPointsOnRemovedSteps: ("pain points stand on steps the new map no longer has: {steps}",
                                    "توجد نقاط ألم على خطوات لم تعد في الخريطة الجديدة: {steps}"),
        .stageFinal: ("signed-off is final", "الاعتماد نهائي"),
        .stageForbids: ("to {action} is done in {stages}; '{service}' is in {stage}",
                        "{action} يكون في مرحلة {stages}؛ والخدمة '{service}' في مرحلة {stage}"),
        .needsPainPoint: ("future-design needs at least one pain point",
                          "يحتاج تصميم المسار المستقبلي إلى نقطة ألم واحدة على الأقل"),
        .needsFuturePath: ("review needs a future path in the service map",
                           "تحتاج المراجعة إلى مسار مستقبلي في خريطة الخدمة"),
        .needsDocument: ("review needs the lab output document of the latest revision (revision {revision}); generate it first",
                         "تحتاج المراجعة إلى وثيقة مخرجات المختبر لآخر نسخة (النسخة {revision})؛ أنشئها أولًا"),
        .signOffNotAdvance: ("signed-off needs the sign-off of every director-general, not advance",
                             "الاعتماد يكون بتوقيع كل مدير عام، لا بالنقل إلى المرحلة التالية"),
        .documentOutdated: ("the document is of revision {revision}, but the latest revision of '{service}' is {latest}; generate it again",
                            "الوثيقة للنسخة {revision}، وآخر نسخة من '{service}' هي {latest}؛ أنشئها من جديد"),
        .severityOutOfRange: ("severity is from 1 to 5, not {severity}", "الشدة من 1 إلى 5، لا {severity}"),
        .notAStep: ("'{step}' is not a step of the current path of '{service}'",
                    "'{step}' ليست خطوة في المسار الحالي للخدمة '{service}'"),
        .unknownPainPoints: ("pain point {painPoints} is not one of '{service}'",
                             "نقطة الألم {painPoints} ليست من نقاط الخدمة '{service}'"),
        .improvementOnOpenVote: ("improvement #{improvement} is on vote #{vote}, which is open; decide after it closes",
                                 "التحسين #{improvement} مطروح في التصويت #{vote} المفتوح؛ قرّر بعد إغلاقه"),
        .communitySource: ("a community member raises a pain point of their own: its source is the community",
                           "نقطة الألم التي يطرحها فرد من المجتمع مصدرها المجتمع نفسه"),
        .moderatedAlready: ("{kind} #{id} was moderated already ({moderation})",
                            "سبق البت في نشر {kind} #{id} (القرار: {moderation})"),
        .tooManyAwaiting: ("your contributions to this service that await moderation are at the limit ({count}); send more once the facilitator has read them",
                           "بلغت مشاركاتك في هذه الخدمة التي تنتظر الموافقة على نشرها الحدَّ الأقصى ({count})؛ أرسل غيرها بعد أن يقرأها الميسّر"),
        .contributionsAwait: ("contributions from the community await moderation (count: {count}); publish or decline them before review",
                              "مشاركات من المجتمع تنتظر الموافقة على نشرها (عددها {count})؛ انشرها أو ارفض نشرها قبل المراجعة"),
        .awaitsModeration: ("{kind} #{id} awaits moderation; publish it first",
                            "{kind} #{id} ينتظر الموافقة على نشره؛ انشره أولًا"),
        .amendNeedsReasons: ("a request for amendments needs its reasons", "طلب التعديلات يحتاج إلى أسبابه"),
        .amendAfterSignOff: ("'{institution}' has signed off already; amendments can no longer be requested",
                             "وقّعت '{institution}' على الاعتماد؛ لم يعد طلب التعديلات ممكنًا"),
        .notAnOwner: ("'{institution}' owns no step of the future path (owners: {owners})",
                      "'{institution}' لا تملك أي خطوة في المسار المستقبلي (المالكون: {owners})"),
        .needsQualityApproval: ("sign-off needs an approving review from the quality team",
                                "يحتاج الاعتماد إلى موافقة فريق الجودة"),
        .signedAlready: ("'{institution}' has signed off already", "وقّعت '{institution}' على الاعتماد مسبقًا"),
        .closesBeforeOpens: ("a vote must close after it opens", "يجب أن يُغلق التصويت بعد أن يُفتح"),
        .windowTooShort: ("a vote stays open at least {minimum}", "يبقى التصويت مفتوحًا {minimum} على الأقل"),
        .windowTooLong: ("a vote stays open at most {maximum}", "يبقى التصويت مفتوحًا {maximum} على الأكثر"),
        .closesInPast: ("the closing time {closes} has passed", "وقت الإغلاق {closes} قد مضى"),
        .badInstant: ("{field} '{value}' is not a time like 2023-02-08T18:00:00Z or a duration like 14d",
                      "{field} '{value}' ليس وقتًا مثل 2023-02-08T18:00:00Z ولا مدة مثل 14d"),
        .supportNeedsLimit: ("a support vote needs a limit of at least 1", "يحتاج تصويت الدعم إلى حد لا يقل عن 1"),
        .dotsNeedBudgetAndCap: ("a dots vote needs a budget of at least 1 and a cap from 1 to the budget",
                                "يحتاج تصويت النقاط إلى عدد نقاط لا يقل عن 1 وحد أقصى من 1 إلى عدد النقاط"),
        .pollNeedsOptions: ("a poll needs at least two options", "يحتاج الاستطلاع إلى خيارين على الأقل"),
        .nothingToVoteOn: ("'{service}' has no proposed improvement to vote on",
                           "لا يوجد تحسين مقترح للتصويت عليه في الخدمة '{service}'"),
        .voteClosed: ("vote #{vote} is closed", "التصويت #{vote} مغلق"),
        .voteNotOpenYet: ("vote #{vote} is not open yet", "التصويت #{vote} لم يُفتح بعد"),
        .voteClosedAlready: ("vote #{vote} is closed already", "التصويت #{vote} مغلق مسبقًا"),
        .voteStillOpen: ("vote #{vote} is still open; close it before acting on its result",
                         "التصويت #{vote} ما زال مفتوحًا؛ أغلقه قبل العمل بنتيجته"),
        .resultsHidden: ("the results of vote #{vote} are hidden until it closes",
                         "نتائج التصويت #{vote} مخفية حتى يُغلق"),
        .pollChoosesNoImprovement: ("a poll chooses no improvement", "الاستطلاع لا يختار تحسينًا"),
        .improvementNotOnVote: ("improvement #{improvement} was not on vote #{vote}",
                                "التحسين #{improvement} لم يكن في التصويت #{vote}"),
        .notAChoice: ("{choices} is not a choice of vote #{vote}", "{choices} ليس من خيارات التصويت #{vote}"),
        .ballotNeedsChoice: ("a ballot needs at least one choice, each with a weight of 1 or more",
                             "تحتاج البطاقة إلى خيار واحد على الأقل، ولكل خيار وزن 1 أو أكثر"),
        .supportOnce: ("support is given once to each improvement", "يُمنح الدعم مرة واحدة لكل تحسين"),
        .supportOverLimit: ("at most {limit} improvements can be supported in vote #{vote}",
                            "يمكن دعم {limit} من التحسينات على الأكثر في التصويت #{vote}"),
        .dotsOverCap: ("at most {cap} dots on one improvement", "{cap} نقاط على الأكثر لتحسين واحد"),
        .dotsOverBudget: ("{total} dots is more than the budget of {budget}", "{total} نقاط أكثر من المتاح وهو {budget}"),
        .pollOneAnswer: ("a poll takes one answer", "الاستطلاع يقبل إجابة واحدة"),
        .ballotOfOtherOrigin: ("{code} already has a ballot {origin} in vote #{vote}; one ballot per participant",
                               "للمشارك {code} بطاقة {origin} في التصويت #{vote}؛ بطاقة واحدة لكل مشارك"),
        .ballotExists: ("{code} has a ballot in vote #{vote} already; one ballot per participant",
                        "للمشارك {code} بطاقة في التصويت #{vote} مسبقًا؛ بطاقة واحدة لكل مشارك"),
        .noBallot: ("{code} has no ballot in vote #{vote}", "لا بطاقة للمشارك {code} في التصويت #{vote}"),
        .ballotCastOnline: ("{code} cast their ballot in vote #{vote} online: only they can withdraw it",
                            "أدلى المشارك {code} ببطاقته في التصويت #{vote} عبر الإنترنت: لا يسحبها أحد غيره"),
        .notInVotePhase: ("{code} is not registered for this vote's phase", "المشارك {code} غير مسجّل في مرحلة هذا التصويت"),
        .negativeTally: ("a show of hands cannot count fewer than 0", "لا يقل عدد رفع الأيدي عن صفر"),
        .participantNeedsName: ("a participant needs a name", "يحتاج المشارك إلى اسم"),
        .representativeNeedsInstitution: ("an institution representative needs their institution",
                                          "يحتاج ممثل الجهة إلى ذكر جهته"),
        .accountNeedsInstitution: ("a {role}'s account needs their institution", "حساب {role} يحتاج إلى جهته"),
        .communityHasNoInstitution: ("a community member speaks for no institution; register them as an institution representative",
                                     "فرد المجتمع لا يمثل جهة؛ سجّله ممثلًا لجهة"),
        .digitalNeedsPassword: ("the digital track needs a password", "المسار الرقمي يحتاج إلى كلمة مرور"),
        .accountNeedsName: ("an account needs a name", "يحتاج الحساب إلى اسم"),
        .communityHasNoAccount: ("community members register as participants, not with an account",
                                 "يسجّل أفراد المجتمع مشاركين، لا بحساب"),
        .passwordTooShort: ("a password needs at least {limit} characters", "تحتاج كلمة المرور إلى {limit} أحرف على الأقل"),
        .passwordTooLong: ("a password can be at most {limit} bytes, and this one has {total} (an Arabic letter takes 2); choose a shorter one, as Masar does not cut it",
                           "لا تزيد كلمة المرور على {limit} بايت، وهذه {total} بايت (الحرف العربي بايتان)؛ اختر كلمة أقصر، فمسار لا يقتطع منها شيئًا"),
        .signInWait: ("too many failed sign-ins for this account; wait {seconds} and try again",
                      "محاولات دخول فاشلة كثيرة لهذا الحساب؛ انتظر {seconds} ثم حاول مرة أخرى"),
        .addressWait: ("too many failed sign-ins from your network; wait {seconds} and try again",
                       "محاولات دخول فاشلة كثيرة من شبكتك؛ انتظر {seconds} ثم حاول مرة أخرى"),
        .registrationWait: ("too many registrations from your network; wait {seconds} and try again",
                            "تسجيلات كثيرة من شبكتك؛ انتظر {seconds} ثم حاول مرة أخرى"),
        .nameLooksLike: ("the name '{name}' looks the same as the existing account '{existing}'; choose a name that reads differently",
                         "الاسم '{name}' يبدو مطابقًا للحساب الموجود '{existing}'؛ اختر اسمًا يُقرأ بشكل مختلف"),
        .controlCharacter: ("the {field} holds the control character {character}, which is not shown but can change what is; remove it",
                            "يحتوي {field} على محرف التحكم {character}، وهو لا يظهر لكنه قد يغيّر ما يظهر؛ احذفه"),
        .bidiControl: ("the {field} holds {character}, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it",
                       "يحتوي {field} على {character}، وهو محرف يتحكم في الاتجاه ويعيد ترتيب ما يظهر (فيبدو gnp.exe كأنه exe.png)؛ احذفه"),
        .textTooLong: ("the {field} has {length} characters; it may have at most {limit}",
                       "في {field} {length} محرفًا؛ والحد الأقصى {limit}"),
        .textMissing: ("the {field} is empty; give it in English, in Arabic, or in both",
                       "{field} فارغ؛ اكتبه بالعربية أو بالإنجليزية أو بكلتيهما"),
        .databaseNewer: ("this database was written by a newer version of Masar; upgrade Masar to open it",
                         "كُتبت قاعدة البيانات هذه بإصدار أحدث من مسار؛ حدّث مسار لفتحها"),
        .serverUnreachable: ("no PostgreSQL server answers at {server} ({detail}); check that it runs and that the host and port are right",
                             "لا يجيب خادم PostgreSQL على {server} ({detail})؛ تحقّق من أنه يعمل ومن صحة المضيف والمنفذ"),
        .serverSignIn: ("the PostgreSQL server at {server} refused user {user}: the password is wrong, or no such user may sign in",
                        "رفض خادم PostgreSQL على {server} المستخدم {user}: كلمة المرور خاطئة، أو لا يُسمح لمستخدم بهذا الاسم بالدخول"),
        .serverNoDatabase: ("the PostgreSQL server at {server} has no database {database}; create it first (createdb {database})",
                            "لا توجد على خادم PostgreSQL في {server} قاعدة بيانات باسم {database}؛ أنشئها أولًا (createdb {database})"),
        .serverURL: ("{url} is not a PostgreSQL URL: {detail}; write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require]",
                     "{url} ليس عنوان PostgreSQL: {detail}؛ اكتب postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require]"),
        .serverFailed: ("the PostgreSQL server failed: {detail}", "أخفق خادم PostgreSQL: {detail}"),
        .secretNeeded: ("a PostgreSQL database has no folder to keep the lab secret beside it: give --secret-file or MASAR_SECRET_FILE, the same file to every masar serve",
                        "لا مجلد لقاعدة بيانات PostgreSQL يُحفظ بجانبها سرّ المختبر: حدّده بالخيار ‎--secret-file أو بالمتغير MASAR_SECRET_FILE، والملف نفسه لكل masar serve"),
        .databaseRefused: ("the database refused the change ({rule}); nothing was changed",
                           "رفضت قاعدة البيانات التغيير ({rule})؛ لم يتغير شيء"),
        .backupExists: ("{path} exists already; a backup never overwrites a file",
                        "الملف {path} موجود؛ النسخة الاحتياطية لا تكتب فوق ملف"),
        .notAnExport: ("not a Masar export{detail}", "ليس ملف تصدير من مسار{detail}"),
        .exportSchema: ("the export is of schema '{schema}', which this Masar does not know; it reads '{expected}' and the schemas before it",
                        "التصدير بمخطط '{schema}' لا يعرفه هذا الإصدار؛ فهو يقرأ '{expected}' والمخططات التي قبله"),
        .importNeedsEmpty: ("import needs an empty database; '{table}' has rows",
                            "الاستيراد يحتاج قاعدة بيانات فارغة؛ في الجدول '{table}' صفوف"),
        .exportColumns: ("the export has columns '{table}' does not: {columns}",
                         "في التصدير أعمدة ليست في الجدول '{table}': {columns}"),
        .unreadableFile: ("cannot read {file}", "تعذّرت قراءة {file}"),
        .notUTF8: ("{file} is not UTF-8 text", "الملف {file} ليس نصًا بترميز UTF-8"),
        .notVerified: ("{code} is not verified yet: a facilitator verifies a participant at a session, or the phase's eligibility list at registration",
                       "المشارك {code} لم يُتحقق منه بعد: يتحقق منه الميسّر في جلسة، أو قائمة المؤهلين للمرحلة عند التسجيل"),
        .verifiedAlready: ("{code} is verified already", "تم التحقق من المشارك {code} مسبقًا"),
        .needsCivilID: ("this phase registers online against its eligibility list: give your civil ID number and year of birth",
                        "التسجيل الإلكتروني في هذه المرحلة يطابق قائمة المؤهلين: أدخل رقمك المدني وسنة ميلادك"),
        .badCivilID: ("the {field} is not valid: a civil ID number has 4 to 15 digits, a year of birth 4",
                      "{field} غير صحيح: الرقم المدني من 4 إلى 15 رقمًا، وسنة الميلاد 4 أرقام"),
        .notOnEligibilityList: ("no entry of the phase's eligibility list has this civil ID number and year of birth",
                                "لا يوجد في قائمة المؤهلين للمرحلة قيد بهذا الرقم المدني وسنة الميلاد"),
        .civilIDRegistered: ("this civil ID number is registered in this phase already; one registration per person",
                             "هذا الرقم المدني مسجّل في هذه المرحلة مسبقًا؛ تسجيل واحد لكل شخص"),
        .eligibilityNeedsSecret: ("civil ID numbers are kept only as keyed hashes: set MASAR_SECRET, or give --secret-file",
                                  "تُحفظ الأرقام المدنية بصيغة مجزأة بمفتاح فقط: اضبط MASAR_SECRET أو مرّر ‎--secret-file"),
        .badSecret: ("the secret in {source} is too short: at least 32 bytes", "السر في {source} قصير جدًا: 32 بايت على الأقل"),
        .ballotSealed: ("the ballot of {code} in vote #{vote} is sealed: its choices were separated from the name and cannot change",
                        "بطاقة المشارك {code} في التصويت #{vote} مختومة: فُصلت اختياراتها عن الاسم ولا يمكن تغييرها"),
        .auditEntriesMissing: ("audit entries #{from} to #{to} are missing before #{entry}: removed, or #{entry} inserted",
                               "قيود السجل من #{from} إلى #{to} مفقودة قبل #{entry}: حُذفت، أو أُدرج القيد #{entry}"),
        .auditChainBroken: ("audit entry #{entry} does not follow the entry before it: an entry was removed, inserted or rewritten before it",
                            "قيد السجل #{entry} لا يتبع القيد الذي قبله: حُذف قيد أو أُدرج أو أعيدت كتابته قبله"),
        .auditEntryChanged: ("audit entry #{entry} was changed after it was written",
                             "قيد السجل #{entry} غُيّر بعد كتابته"),
        .auditHeadDiffers: ("audit entry #{entry} no longer has the hash {hash} recorded for it: the log was rewritten up to there",
                            "قيد السجل #{entry} لم يعد يحمل البصمة {hash} المسجلة له: أعيدت كتابة السجل حتى هناك"),
    ]
}

extension LabAction {
    /// What the action is called in `language`.
    public func name(in language: Language) -> String {
        guard language == .arabic else { return rawValue }
        return switch self {
        case .createPhase: "إنشاء مرحلة"
        case .openLab: "فتح مختبر"
        case .assignFacilitator: "تعيين ميسّر لمختبر"
        case .recordSession: "تسجيل جلسة"
        case .importMap: "استيراد خريطة خدمة"
        case .advance: "نقل الخدمة إلى المرحلة التالية"
        case .recordPainPoint: "تسجيل نقطة ألم"
        case .importPainPoints: "استيراد نقاط الألم"
        case .proposeImprovement: "اقتراح تحسين"
        case .decideImprovement: "البت في تحسين"
        case .moderate: "الموافقة على نشر مشاركة"
        case .recordDocument: "إنشاء وثيقة المخرجات"
        case .review: "مراجعة وثيقة المخرجات"
        case .signOff: "الاعتماد"
        case .registerParticipants: "تسجيل المشاركين"
        case .openVote: "فتح تصويت"
        case .recordInPersonBallot: "تسجيل بطاقة حضورية"
        case .recordBallots: "تسجيل البطاقات دفعة واحدة"
        case .recordTally: "تسجيل رفع الأيدي"
        case .closeVote: "إغلاق تصويت"
        case .verifyParticipants: "التحقق من المشاركين"
        case .loadEligibility: "تحميل قائمة المؤهلين"
        case .createAccounts: "إنشاء الحسابات"
        }
    }
}
