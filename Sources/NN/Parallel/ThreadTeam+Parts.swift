/// Splitting a range of work among a team's members: contiguous parts in member order, so which
/// member computes what depends only on the count and the team's size.
extension ThreadTeam {
    /// Member `member`'s part of 0..<count: the `size` parts are contiguous, in member order, and
    /// start at multiples of `granule` (rows of a micro-kernel, say); some may be empty. A team of
    /// one has one part, 0..<count.
    public func part(_ member: Int, of count: Int, granule: Int = 1) -> Range<Int> {
        let units = (count + granule - 1) / granule
        let lower = units * member / size, upper = units * (member + 1) / size
        return min(lower * granule, count)..<min(upper * granule, count)
    }
}
