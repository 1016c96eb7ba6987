import Foundation

/// What is wrong with a form, field by field, in Vietnamese: the one error shape every service
/// returns (or throws) and every form shows next to its field. `form` holds a problem that belongs
/// to no single field.
public struct FormErrors: Error, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [String: String]
    public var form: String?
    /// Refused for the sender's rate of requests rather than what was typed (the page answers 429).
    public var isRateLimited = false

    public init(_ fields: [String: String] = [:], form: String? = nil) {
        self.fields = fields
        self.form = form
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { first, _ in first }))
    }

    public subscript(field: String) -> String? {
        get { fields[field] }
        set { fields[field] = newValue }
    }

    public var isEmpty: Bool { fields.isEmpty && form == nil }
    public var count: Int { fields.count + (form == nil ? 0 : 1) }

    /// One field's problem.
    public static func field(_ name: String, _ message: String) -> FormErrors { FormErrors([name: message]) }

    /// Too many submissions from one sender: the form is shown again with this, as a 429.
    public static func rateLimited(_ errors: FormErrors) -> FormErrors {
        var limited = errors
        limited.isRateLimited = true
        return limited
    }

    /// The messages alone (the form's first, then the fields' in name order), for lists that
    /// show no field names.
    public var messagesWithoutFields: [String] {
        (form.map { [$0] } ?? []) + fields.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Every message, the form's first, then the fields' in name order (for the CLI and logs).
    public var messages: [String] {
        (form.map { [$0] } ?? []) + fields.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
    }
}

extension FormErrors {
    /// A form's moment (dd/mm/yyyy hh:mm): the date, or nil with the field's fault noted (an
    /// empty optional moment is no fault).
    public mutating func moment(_ text: String, field: String, required: Bool = true) -> Date? {
        if text.isEmpty {
            if required { self[field] = "Nhập thời điểm (dd/mm/yyyy hh:mm)." }
            return nil
        }
        guard let date = VietnameseDate.parse(text) else { self[field] = "Thời điểm không hợp lệ (dd/mm/yyyy hh:mm)."; return nil }
        return date
    }
}
