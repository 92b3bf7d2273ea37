import Foundation

/// What each person still lacks (7.2): the competences their AIMS roles require, less those shown
/// by a competence record that has not expired.
public struct CompetenceGap: Sendable, Equatable, Codable {
    public var person: String
    public var roles: [String]
    public var missing: [String]
    /// Competences whose only record has expired.
    public var expired: [String]
    public var held: [String]
}

public enum CompetenceGaps {
    /// Inputs are (id, record) pairs as stored; the result lists every person who holds a role.
    public static func compute(
        roles: [(id: String, role: AIMSRole)], requirements: [(id: String, requirement: CompetenceRequirement)],
        records: [CompetenceRecord], today: CalendarDate
    ) -> [CompetenceGap] {
        let normalise = { (name: String) in name.trimmingCharacters(in: .whitespaces).lowercased() }
        var people: [String: (name: String, roles: [String])] = [:]
        for (_, role) in roles {
            for person in role.assignedTo { people[normalise(person), default: (person, [])].roles.append(role.name) }
        }
        return people.keys.sorted().map { key in
            let person = people[key]!
            let roleIDs = Set(roles.filter { $0.role.assignedTo.map(normalise).contains(key) }.map(\.id))
            let required = requirements.filter { roleIDs.contains($0.requirement.role) }
            let mine = records.filter { normalise($0.person) == key }
            var gap = CompetenceGap(person: person.name, roles: person.roles.sorted(), missing: [], expired: [], held: [])
            for (id, requirement) in required {
                let evidence = mine.filter { $0.competences.contains(id) }
                if evidence.contains(where: { ($0.expiresOn ?? today) >= today }) {
                    gap.held.append(requirement.competence)
                } else if evidence.isEmpty {
                    gap.missing.append(requirement.competence)
                } else {
                    gap.expired.append(requirement.competence)
                }
            }
            return gap
        }
    }
}
