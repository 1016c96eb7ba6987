import EduCore

/// What a list page's template shows for paging (`{{pager.page}}/{{pager.pages}}`, the previous
/// and next links).
struct Pager {
    let total: Int
    let page: Int
    let pages: Int
    let previousURL: String?
    let nextURL: String?

    init(_ paging: Paging, url: (Int) -> String) {
        total = paging.total
        page = paging.page
        pages = paging.pages
        previousURL = paging.previous.map(url)
        nextURL = paging.next.map(url)
    }
}
