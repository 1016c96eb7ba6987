import EduCore
import EduData
import EduImport
import Vapor

/// `/tra-cuu-van-bang`: the form and, once sent, the diploma that matches.
struct DiplomaLookupPage: PageView {
    static let template = "diploma-lookup"

    struct Found {
        let fullName: String
        let birthDate: String
        let kind: String
        let serial: String
        let registerNumber: String
        let graduationYear: String
        let classification: String
        let issuedOn: String
        let issuer: String
        /// Where the register came from, when a merged unit's register is kept here.
        let origin: String

        init(_ d: Diploma, origin: String) {
            fullName = d.fullName
            birthDate = ExamDate.vietnamese(Int32(d.birthDate))
            kind = d.kind
            serial = d.serial
            registerNumber = d.registerNumber
            graduationYear = d.graduationYear > 0 ? String(d.graduationYear) : ""
            classification = d.classification
            issuedOn = d.issuedOn > 0 ? ExamDate.vietnamese(Int32(d.issuedOn)) : ""
            issuer = d.issuer
            self.origin = origin
        }
    }

    let layout: LayoutVM
    let action: String
    let serial: String
    let name: String
    let birth: String
    let error: String?
    let found: Found?
    let count: String

    init(layout: LayoutVM, query: DiplomaQuery, error: String?, found: Diploma?, origin: String = "", count: Int) {
        self.layout = layout
        action = SiteURL.diplomaLookup.path
        serial = query.serial
        name = query.name
        birth = query.birth
        self.error = error
        self.found = found.map { Found($0, origin: origin) }
        self.count = VietnameseNumber.grouped(count)
    }
}

/// What a visitor typed to look a diploma up, normalised.
struct DiplomaQuery {
    let serial: String
    let name: String
    let birth: String
    /// Whether the form was sent at all (an empty first visit is not an error).
    let sent: Bool

    init(_ items: [String: String]) {
        serial = TextNormalizer.normalize(items["so-hieu"] ?? "", maxLength: 40)
        name = TextNormalizer.normalize(items["ho-ten"] ?? "", maxLength: 100)
        birth = TextNormalizer.normalize(items["ngay-sinh"] ?? "", maxLength: 20)
        sent = items["so-hieu"] != nil || items["ho-ten"] != nil
    }
}
