import EduCore
import Foundation

/// What a mailbox's holder does in the unit: rule-based groups select on it ("the head of every
/// Sở", "the clerical office of every school"), so a group follows the directory by itself.
public enum MailFunction: String, CaseIterable, Codable, Sendable {
    case head = "thu-truong"
    case deputy = "cap-pho"
    case clerical = "van-thu"
    case staff = "can-bo"
    case department = "bo-phan"

    public var label: String {
        switch self {
        case .head: "Thủ trưởng đơn vị (Giám đốc, Trưởng phòng, Hiệu trưởng)"
        case .deputy: "Cấp phó"
        case .clerical: "Văn phòng, văn thư"
        case .staff: "Cán bộ, giáo viên, nhân viên"
        case .department: "Hộp thư của bộ phận"
        }
    }

    /// Guessed from a job title in a staff list ("Giám đốc", "Hiệu trưởng", "Văn thư", …).
    public init(title: String) {
        let folded = SearchFolding.fold(title)
        if folded.hasPrefix("pho ") || folded.contains("pho giam doc") || folded.contains("pho hieu truong") || folded.contains("pho truong phong") {
            self = .deputy
        } else if ["giam doc", "hieu truong", "truong phong", "thu truong", "chu tich"].contains(where: { folded.hasPrefix($0) }) {
            self = .head
        } else if folded.contains("van thu") || folded.contains("van phong") {
            self = .clerical
        } else {
            self = .staff
        }
    }
}

/// Mailbox passwords: long enough and mixed, never the address itself.
public enum MailPasswordPolicy {
    public static let minimumLength = 10

    public static func problem(_ password: String, localPart: String) -> String? {
        if password.count < minimumLength { return "Mật khẩu cần ít nhất \(minimumLength) ký tự." }
        var classes = 0
        if password.contains(where: \.isLowercase) { classes += 1 }
        if password.contains(where: \.isUppercase) { classes += 1 }
        if password.contains(where: \.isNumber) { classes += 1 }
        if password.contains(where: { !$0.isLetter && !$0.isNumber }) { classes += 1 }
        if classes < 3 { return "Mật khẩu cần có ít nhất ba trong bốn loại: chữ thường, chữ hoa, chữ số, ký hiệu." }
        if !localPart.isEmpty && password.lowercased().contains(localPart.lowercased()) { return "Mật khẩu không được chứa tên hộp thư." }
        return nil
    }

    /// A first password to hand out: 14 characters from an alphabet without look-alikes.
    public static func generate() -> String {
        let lower = Array("abcdefghijkmnpqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), digits = Array("23456789"), marks = Array("@#%+=")
        var generator = SystemRandomNumberGenerator()
        var chars: [Character] = [lower.randomElement(using: &generator)!, upper.randomElement(using: &generator)!,
                                  digits.randomElement(using: &generator)!, marks.randomElement(using: &generator)!]
        let all = lower + upper + digits
        while chars.count < 14 { chars.append(all.randomElement(using: &generator)!) }
        chars.shuffle(using: &generator)
        return String(chars)
    }
}

/// The directory as the alias expansion sees it: mailboxes, their aliases and forwarding, and
/// groups with static members, external addresses, nested groups and rules. Pure, so the rows
/// Postfix reads can be computed and tested without a database.
public struct MailDirectoryView: Sendable {
    public struct Mailbox: Sendable {
        public let id: UUID
        public let address: String
        public let unitID: UUID
        public let unitType: String
        /// The unit and its ancestors.
        public let unitPath: Set<UUID>
        public let function: MailFunction
        public let active: Bool
        public let aliases: [String]
        public let forwardTo: String
        public let keepCopy: Bool

        public init(id: UUID, address: String, unitID: UUID, unitType: String, unitPath: Set<UUID>, function: MailFunction, active: Bool,
                    aliases: [String] = [], forwardTo: String = "", keepCopy: Bool = true) {
            self.id = id
            self.address = address
            self.unitID = unitID
            self.unitType = unitType
            self.unitPath = unitPath
            self.function = function
            self.active = active
            self.aliases = aliases
            self.forwardTo = forwardTo
            self.keepCopy = keepCopy
        }
    }

    /// "Every mailbox with this function, in units of this type, within this subtree."
    public struct Rule: Sendable, Equatable {
        public let function: MailFunction
        public let unitType: String?
        public let withinUnitID: UUID?

        public init(function: MailFunction, unitType: String?, withinUnitID: UUID?) {
            self.function = function
            self.unitType = unitType
            self.withinUnitID = withinUnitID
        }

        public func matches(_ box: Mailbox) -> Bool {
            box.function == function && (unitType == nil || box.unitType == unitType) && (withinUnitID.map { box.unitPath.contains($0) } ?? true)
        }
    }

    /// A group reaches only its owner unit's subtree: a member mailbox, a nested group or a
    /// mailbox a rule selects outside it is skipped when the group expands (the admin refuses
    /// such members when they are added; this holds for rows written before that rule too).
    public struct Group: Sendable {
        public let id: UUID
        public let address: String
        /// The unit that owns the group, and that unit with its ancestors.
        public let unitID: UUID
        public let unitPath: Set<UUID>
        public let mailboxIDs: [UUID]
        public let externals: [String]
        public let nestedGroupIDs: [UUID]
        public let rules: [Rule]

        public init(id: UUID, address: String, unitID: UUID, unitPath: Set<UUID>, mailboxIDs: [UUID] = [], externals: [String] = [],
                    nestedGroupIDs: [UUID] = [], rules: [Rule] = []) {
            self.id = id
            self.address = address
            self.unitID = unitID
            self.unitPath = unitPath.union([unitID])
            self.mailboxIDs = mailboxIDs
            self.externals = externals
            self.nestedGroupIDs = nestedGroupIDs
            self.rules = rules
        }
    }

    public let mailboxes: [Mailbox]
    public let groups: [Group]

    public init(mailboxes: [Mailbox], groups: [Group]) {
        self.mailboxes = mailboxes
        self.groups = groups
    }

    /// Every address a group delivers to: active member mailboxes, external addresses, the
    /// members of nested groups (each group once, cycles cut), and every active mailbox a rule
    /// selects. Sorted, without duplicates.
    public func recipients(of groupID: UUID) -> [String] {
        let boxes = Dictionary(uniqueKeysWithValues: mailboxes.map { ($0.id, $0) })
        let byID = Dictionary(uniqueKeysWithValues: groups.map { ($0.id, $0) })
        var seen: Set<UUID> = []
        var out: Set<String> = []
        func visit(_ id: UUID) {
            guard seen.insert(id).inserted, let group = byID[id] else { return }
            func inside(_ box: Mailbox) -> Bool { box.unitPath.contains(group.unitID) }
            for boxID in group.mailboxIDs { if let box = boxes[boxID], box.active, inside(box) { out.insert(box.address) } }
            for external in group.externals { out.insert(external.lowercased()) }
            for rule in group.rules { for box in mailboxes where box.active && inside(box) && rule.matches(box) { out.insert(box.address) } }
            for nested in group.nestedGroupIDs where byID[nested]?.unitPath.contains(group.unitID) == true { visit(nested) }
        }
        visit(groupID)
        return out.sorted()
    }

    /// One row per (recipient address, delivery address), as Postfix's `virtual_alias_maps`
    /// reads them: aliases, forwarding (with a copy kept unless told otherwise; a departed
    /// person's mail only forwarded), and every group expanded.
    public func aliasRows() -> [(source: String, destination: String)] {
        var rows: [(String, String)] = []
        for box in mailboxes {
            let forward = box.forwardTo.lowercased()
            if box.active {
                for alias in box.aliases { rows.append((alias.lowercased(), box.address)) }
                if !forward.isEmpty {
                    rows.append((box.address, forward))
                    if box.keepCopy { rows.append((box.address, box.address)) }
                }
            } else if !forward.isEmpty {
                rows.append((box.address, forward))
                for alias in box.aliases { rows.append((alias.lowercased(), forward)) }
            }
        }
        for group in groups {
            for recipient in recipients(of: group.id) { rows.append((group.address, recipient)) }
        }
        var unique: Set<String> = []
        return rows.filter { unique.insert($0.0 + "\u{0}" + $0.1).inserted }
    }
}
