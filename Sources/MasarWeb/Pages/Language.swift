import Hummingbird
import MasarCore

/// The language a page is shown in: Arabic by default, right-to-left; English on request.
extension Language {
    /// The visitor's choice: the language cookie, else Arabic — Arabic first, whatever a browser's
    /// settings say. An API client, which has no cookie, asks with `Accept-Language` (the first
    /// of Arabic or English it names).
    static func of(_ request: Request) -> Language {
        if let chosen = Language(rawValue: request.cookies[Cookies.language]?.value ?? "") { return chosen }
        guard request.isAPI else { return .arabic }
        let accepted = (request.headers[.acceptLanguage] ?? "").lowercased().split(separator: ",")
            .map { $0.split(separator: ";")[0].trimmingCharacters(in: .whitespaces) }
        for tag in accepted {
            if let language = Language(rawValue: String(tag.prefix(2))) { return language }
        }
        return .arabic
    }

    var direction: String { self == .arabic ? "rtl" : "ltr" }
    var other: Language { self == .arabic ? .english : .arabic }
    /// The name of the language in itself, for the switch.
    var ownName: String { self == .arabic ? "العربية" : "English" }

    /// A text in this language, falling back to the other when it has none.
    func pick(_ text: LocalizedText) -> String {
        (self == .arabic ? text.ar ?? text.en : text.en ?? text.ar) ?? ""
    }

    /// A stage's name in this language.
    func stage(_ stage: Stage) -> String { words["stage." + stage.rawValue]! }

    /// A page's fixed words in this language.
    var words: [String: String] {
        Words.table.mapValues { self == .arabic ? $0.ar : $0.en }
    }
}

/// Every fixed word of the web pages in Arabic and English, in one table (a test holds both filled).
enum Words {
    static let table: [String: (ar: String, en: String)] = [
        "masar": ("مسار", "Masar"),
        "tagline": ("مختبرات إعادة تصميم الخدمات الحكومية", "Government service-redesign labs"),
        "skip": ("انتقل إلى المحتوى", "Skip to content"),
        "programme": ("تقدم البرنامج", "Programme progress"),
        "services": ("الخدمات", "Services"),
        "lifeEvents": ("رحلات الحياة", "Life events"),
        "votes": ("التصويت", "Votes"),
        "signIn": ("تسجيل الدخول", "Sign in"),
        "signOut": ("تسجيل الخروج", "Sign out"),
        "staffSignIn": ("دخول فريق المختبر", "Lab staff sign in"),
        "register": ("التسجيل للمشاركة", "Register to take part"),
        "dashboard": ("لوحة المختبر", "Lab dashboard"),
        "myVotes": ("تصويتي", "My votes"),
        "completion": ("نسبة الإنجاز", "Completion"),
        "completionExplained": ("الخدمات المعتمدة ÷ الخدمات المستهدفة", "services signed off ÷ services targeted"),
        "progress": ("التقدم", "Progress"),
        "progressExplained": ("متوسط وزن المرحلة للخدمات المستهدفة", "mean stage weight of targeted services"),
        "servicesOf": ("خدمة من", "services of"),
        "byPhase": ("حسب المرحلة", "By phase"),
        "bySector": ("حسب القطاع", "By sector"),
        "byInstitution": ("حسب الجهة", "By institution"),
        "name": ("الاسم", "Name"),
        "targeted": ("المستهدفة", "Targeted"),
        "participation": ("المشاركة", "Participation"),
        "institutionRepresentatives": ("ممثلو الجهات", "Institution representatives"),
        "communityInPerson": ("المجتمع (حضوريًا)", "Community (in person)"),
        "communityDigital": ("المجتمع (رقميًا)", "Community (digital)"),
        "institutions": ("الجهات", "Institutions"),
        "sessions": ("الجلسات", "Sessions"),
        "changes": ("ما غيّرته الخدمات المعتمدة", "What signed-off redesigns changed"),
        "metric": ("المؤشر", "Metric"),
        "before": ("قبل", "Before"),
        "after": ("بعد", "After"),
        "change": ("التغيير", "Change"),
        "relative": ("النسبة", "Relative"),
        "noneYet": ("لا شيء بعد.", "None yet."),
        "chartCompletion": ("الإنجاز حسب المرحلة", "Completion by phase"),
        "chartStages": ("المراحل حسب القطاع", "Stages by sector"),
        "stage": ("المرحلة", "Stage"),
        "sector": ("القطاع", "Sector"),
        "owner": ("الجهة المالكة", "Owner"),
        "figures": ("المؤشرات", "Figures"),
        "diagram": ("المسار قبل وبعد", "The path, before and after"),
        "diagramMissing": ("لم يُرسم المسار بعد.", "No diagram yet."),
        "painPoints": ("نقاط الألم", "Pain points"),
        "step": ("الخطوة", "Step"),
        "category": ("الفئة", "Category"),
        "severity": ("الشدة", "Severity"),
        "source": ("المصدر", "Source"),
        "text": ("النص", "Text"),
        "improvements": ("التحسينات", "Improvements"),
        "status": ("الحالة", "Status"),
        "results": ("النتائج", "Results"),
        "resultsHidden": ("النتائج مخفية حتى يُغلق التصويت.", "Results are hidden until the vote closes."),
        "open": ("مفتوح", "open"),
        "closed": ("مغلق", "closed"),
        "closes": ("يُغلق", "Closes"),
        "choice": ("الخيار", "Choice"),
        "ballots": ("الأصوات", "Ballots"),
        "tallies": ("رفع الأيدي", "Show of hands"),
        "combined": ("المجموع", "Combined"),
        "share": ("الحصة", "Share"),
        "turnout": ("نسبة المشاركة", "Turnout"),
        "ballotsCast": ("بطاقات مُدلى بها", "ballots cast"),
        "registered": ("مسجلون", "registered"),
        "servicesInEvent": ("الخدمات في هذه الرحلة", "Services in this life event"),
        "phase": ("المرحلة الزمنية", "Phase"),
        "track": ("المسار", "Track"),
        "inPerson": ("حضوريًا", "In person"),
        "digital": ("رقميًا", "Digital"),
        "password": ("كلمة المرور", "Password"),
        "passwordHint": ("للمسار الرقمي: ١٠ أحرف على الأقل. للحضوري: اتركها فارغة وادخل برمز التسجيل.",
                         "Digital track: at least 10 characters. In person: leave it empty and sign in with your code."),
        "code": ("رمز التسجيل", "Registration code"),
        "codeHint": ("ثمانية أحرف، كما في بطاقتك.", "Eight characters, as on your card."),
        "yourCode": ("رمز تسجيلك", "Your registration code"),
        "keepCode": ("احتفظ بهذا الرمز: تدخل به وتصوّت.", "Keep this code: you sign in and vote with it."),
        "accountName": ("اسم الحساب", "Account name"),
        "submit": ("إرسال", "Submit"),
        "castBallot": ("أرسل صوتي", "Cast my ballot"),
        "changeBallot": ("غيّر صوتي", "Change my ballot"),
        "withdraw": ("اسحب صوتي", "Withdraw my ballot"),
        "yourBallot": ("صوتك", "Your ballot"),
        "noBallot": ("لم تصوّت بعد.", "You have not voted yet."),
        "dotsLeft": ("النقاط المتبقية", "Dots left"),
        "dotsRule": ("لديك {budget} نقاط، و{cap} على الأكثر لتحسين واحد.", "You have {budget} dots, at most {cap} on one improvement."),
        "supportRule": ("ادعم حتى {limit} من التحسينات.", "Support up to {limit} improvements."),
        "pollRule": ("اختر إجابة واحدة.", "Choose one answer."),
        "ballotSaved": ("سُجّل صوتك.", "Your ballot is recorded."),
        "ballotWithdrawn": ("سُحب صوتك.", "Your ballot is withdrawn."),
        "voteClosed": ("هذا التصويت مغلق.", "This vote is closed."),
        "noVotes": ("لا يوجد تصويت بعد.", "No votes yet."),
        "refused": ("تعذّر ذلك", "That was refused"),
        "notFound": ("الصفحة غير موجودة", "Page not found"),
        "forbidden": ("هذه الصفحة لغير دورك", "This page is not for your role"),
        "badRequest": ("الطلب غير مكتمل", "The request was incomplete"),
        "tooLarge": ("الطلب أكبر من المسموح", "The request is too large"),
        "tooMany": ("محاولات كثيرة؛ انتظر قليلًا ثم حاول مجددًا.", "Too many attempts; wait a little and try again."),
        "serverError": ("حدث خطأ من جهتنا؛ لم يتغير شيء.", "Something went wrong on our side; nothing was changed."),
        "wrongCredentials": ("الاسم أو الرمز أو كلمة المرور غير صحيحة.", "The name, code or password is not right."),
        "back": ("رجوع", "Back"),
        "labs": ("المختبرات", "Labs"),
        "facilitator": ("الميسّر", "Facilitator"),
        "manage": ("إدارة", "Manage"),
        "advance": ("انقل إلى المرحلة التالية", "Move to the next stage"),
        "addPainPoint": ("أضف نقطة ألم", "Add a pain point"),
        "proposeImprovement": ("اقترح تحسينًا", "Propose an improvement"),
        "addresses": ("يعالج نقاط الألم", "Addresses pain points"),
        "accept": ("اعتمد", "Accept"),
        "reject": ("ارفض", "Reject"),
        "openVote": ("افتح تصويتًا", "Open a vote"),
        "mode": ("الطريقة", "Mode"),
        "question": ("السؤال", "Question"),
        "closesInDays": ("يُغلق بعد (أيام)", "Closes in (days)"),
        "supportLimit": ("حد الدعم", "Support limit"),
        "dotBudget": ("عدد النقاط", "Dots per participant"),
        "dotCap": ("أقصى نقاط لتحسين", "Most dots on one"),
        "pollOptions": ("خيارات الاستطلاع (سطر لكل خيار)", "Poll options (one a line)"),
        "hideResults": ("أخفِ النتائج حتى الإغلاق", "Hide results until the close"),
        "closeVote": ("أغلق التصويت", "Close the vote"),
        "recordBallot": ("سجّل صوتًا حضوريًا", "Record an in-person ballot"),
        "recordTally": ("سجّل رفع الأيدي", "Record a show of hands"),
        "count": ("العدد", "Count"),
        "place": ("المكان", "Place"),
        "document": ("وثيقة مخرجات المختبر", "Lab output document"),
        "generateDocument": ("أنشئ الوثيقة", "Generate the document"),
        "readDocument": ("اقرأ الوثيقة", "Read the document"),
        "review": ("المراجعة", "Review"),
        "approve": ("وافق", "Approve"),
        "amend": ("اطلب تعديلات", "Request amendments"),
        "reasons": ("الأسباب", "Reasons"),
        "signOff": ("اعتمد نيابة عن", "Sign off for"),
        "awaitingSignOff": ("بانتظار اعتماد", "Awaiting sign-off"),
        "done": ("تم.", "Done."),
        "revision": ("النسخة", "Revision"),
        "auditLog": ("سجل التدقيق", "Audit log"),
        "choicesFor": ("الخيارات", "Choices"),
        "participantCode": ("رمز المشارك", "Participant's code"),
        "welcome": ("أهلًا", "Welcome"),
        "participantSheet": ("سجّل مشاركين من جدول (CSV)", "Register participants from a sheet (CSV)"),
        "ballotSheet": ("سجّل أوراق الجلسة من جدول (CSV)", "Record a session's paper ballots (CSV)"),
        "chosenByVote": ("كما اختاره التصويت", "as chosen by vote"),
        "newPhase": ("مرحلة جديدة", "A new phase"),
        "newLab": ("مختبر جديد", "A new lab"),
        "startsOn": ("تبدأ في", "Starts on"),
        "endsOn": ("تنتهي في (اختياري)", "Ends on (optional)"),
        "sectorsList": ("القطاعات (مفصولة بفواصل)", "Sectors (comma-separated)"),
        "facilitatorsList": ("الميسّرون (أسماء حساباتهم، مفصولة بفواصل)", "Facilitators (their account names, comma-separated)"),
        "targetsList": ("الخدمات المستهدفة (مفصولة بفواصل)", "Targeted services (comma-separated)"),
        "recordSession": ("سجّل جلسة", "Record a session"),
        "heldOn": ("تاريخ الجلسة", "Held on"),
        "community": ("أفراد المجتمع", "Community members"),
        "importMap": ("استورد خريطة خدمة (YAML)", "Import a service map (YAML)"),
        "registerParticipant": ("سجّل مشاركًا", "Register a participant"),
        "kind": ("الصفة", "Kind"),
        "communityMember": ("من أفراد المجتمع", "Community member"),
        "institutionRepresentative": ("ممثل جهة", "Institution representative"),
        "institution": ("الجهة", "Institution"),
        "stage.mapping": ("رسم المسار الحالي", "Mapping"),
        "stage.pain-points": ("نقاط الألم", "Pain points"),
        "stage.future-design": ("تصميم المسار المستقبلي", "Future design"),
        "stage.review": ("المراجعة", "Review"),
        "stage.signed-off": ("معتمدة", "Signed off"),
        "mode.support": ("دعم", "Support"),
        "mode.dots": ("توزيع النقاط", "Dots"),
        "mode.poll": ("استطلاع", "Poll"),
    ]
}
