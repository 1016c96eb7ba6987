/// Which slice of a long list a page shows: the one paging rule every list uses.
public struct Paging: Sendable, Equatable {
    public let total: Int
    public let size: Int
    /// 1-based, within `1...pages`.
    public let page: Int
    /// At least 1 (an empty list has one, empty, page).
    public let pages: Int

    /// `requested` is clamped into the list's pages (nil: the first).
    public init(total: Int, size: Int, requested: Int?) {
        self.total = max(0, total)
        self.size = max(1, size)
        pages = max(1, (self.total + self.size - 1) / self.size)
        page = min(max(1, requested ?? 1), pages)
    }

    /// Whether `requested` names a page that exists (public lists answer 404 otherwise).
    public static func exists(_ requested: Int, total: Int, size: Int) -> Bool {
        requested >= 1 && requested <= max(1, (max(0, total) + max(1, size) - 1) / max(1, size))
    }

    /// The rows this page shows, as offsets into the whole list.
    public var range: Range<Int> { ((page - 1) * size)..<(page * size) }

    public var previous: Int? { page > 1 ? page - 1 : nil }
    public var next: Int? { page < pages ? page + 1 : nil }
}
