/// `/gioi-thieu/<slug>`: one introduction page the unit has written.
struct IntroSinglePage: PageView {
    static let template = "intro-page"

    let layout: LayoutVM
    let title: String
    let body: String
}
