/// How many times a public page of a unit was opened on a day (Vietnam's time): rows of
/// (unit_id, day, path, count), written only by adding to a count (`VisitCounter.flush`), read
/// for the unit's staff and the ranking. No id: a row is addressed by (unit, day, path).
public enum PageVisit {
    public static let schema = "page_visits"
}
