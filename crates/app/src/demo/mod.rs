//! The demo jurisdiction: 示范市滨河区, a clearly fictional district (its GB/T 2260 code 999902
//! is outside the assigned range) with its departments, people and one account per role.
//!
//! The demo is deterministic for a seed: the same seed gives the same names in the same order.
//! It is written in one transaction, so an interrupted run leaves nothing behind, and re-running
//! on a database that already holds the demo reuses it.

pub mod cases;
mod data;
pub mod report;

use crate::clock::to_db_time;
use crate::domain::{AccountInput, DepartmentInput, JurisdictionInput, Level, PersonInput, Role};
use crate::store::{Store, StoreError};

/// The demo's sign-in accounts: (username, password, role, department index in
/// `data::DEPARTMENTS` if scoped, display name). Passwords are fixed so the README and the
/// start-up banner can print them; they are for the fictional demo only.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<usize>, &str); 5] = [
    ("admin", "demo-admin-2026", Role::Admin, None, "周建国"),
    (
        "sifa",
        "demo-sifa-2026",
        Role::JusticeStaff,
        Some(data::JUSTICE_BUREAU),
        "陈静",
    ),
    (
        "fazhi",
        "demo-fazhi-2026",
        Role::DepartmentLegal,
        Some(data::MARKET_REGULATION),
        "刘洋",
    ),
    (
        "zhifa",
        "demo-zhifa-2026",
        Role::Officer,
        Some(data::MARKET_REGULATION),
        "王磊",
    ),
    ("lingdao", "demo-lingdao-2026", Role::Leader, None, "张志强"),
];

/// What [`ensure_demo`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo was created now.
    Created {
        /// Departments created.
        n_departments: usize,
        /// People created.
        n_people: usize,
    },
    /// The database already held the demo; nothing was written.
    Reused {
        /// The seed it was created with.
        seed: i64,
        /// Its year.
        year: i64,
    },
}

/// A failure to set up the demo.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    /// The database holds a real (non-demo) jurisdiction; the demo never writes into it.
    #[error(
        "this database holds the real jurisdiction {0:?}; the demo writes only to a new or demo database"
    )]
    NotADemoDatabase(String),
    /// The database already has departments but no jurisdiction (not made by the demo).
    #[error(
        "this database already has departments; the demo writes only to a new or demo database"
    )]
    NotEmpty,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Password hashing failed.
    #[error(transparent)]
    Password(#[from] crate::password::PasswordError),
}

/// SplitMix64: a tiny generator whose output is fixed by its published algorithm, so the demo's
/// names stay the same across versions of any random-number crate.
#[derive(Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// An index below `n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let index = self.below(items.len());
        items.get(index).copied().unwrap_or_default()
    }
}

/// A plausible Chinese name: a surname drawn by real-world frequency, and one or two given-name
/// characters.
fn person_name(rng: &mut SplitMix64) -> String {
    let total: u32 = data::SURNAMES.iter().map(|(_, weight)| weight).sum();
    let mut draw = (rng.next() % u64::from(total.max(1))) as u32;
    let mut surname = "王";
    for (name, weight) in data::SURNAMES {
        if draw < *weight {
            surname = name;
            break;
        }
        draw -= weight;
    }
    let first = rng.pick(data::GIVEN_NAME_CHARACTERS);
    if rng.below(10) < 3 {
        format!("{surname}{first}")
    } else {
        format!("{surname}{first}{}", rng.pick(data::GIVEN_NAME_CHARACTERS))
    }
}

/// A fictional office number in the district's fictional exchange.
fn phone(rng: &mut SplitMix64) -> String {
    format!("0999-8{:06}", rng.next() % 1_000_000)
}

/// Creates the demo in `store` for `seed` and `year`, or reuses it if already there.
/// `at` is the time recorded on the events.
pub async fn ensure_demo(
    store: &Store,
    seed: i64,
    year: i64,
    at: time::OffsetDateTime,
) -> Result<DemoOutcome, DemoError> {
    if let Some(existing) = store.jurisdiction().await? {
        return match (existing.is_demo, existing.demo_seed, existing.demo_year) {
            (true, Some(seed), Some(year)) => Ok(DemoOutcome::Reused { seed, year }),
            _ => Err(DemoError::NotADemoDatabase(existing.name)),
        };
    }
    let (n_departments, _) = store.organisation_counts(crate::authz::Scope::All).await?;
    if n_departments > 0 {
        return Err(DemoError::NotEmpty);
    }

    // Hash the five passwords before opening the transaction: Argon2 is slow on purpose.
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for (_, password, ..) in DEMO_ACCOUNTS {
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || crate::password::hash(&password))
            .await
            .map_err(|_| crate::password::PasswordError)??;
        hashes.push(hash);
    }

    let mut rng = SplitMix64(seed as u64);
    let at = to_db_time(at);
    let mut tx = store.begin().await?;
    let mut department_ids = Vec::with_capacity(data::DEPARTMENTS.len());
    let mut people_by_department: Vec<Vec<(i64, &str)>> =
        Vec::with_capacity(data::DEPARTMENTS.len());
    let mut n_people = 0;
    for (index, (name, kind, staff)) in data::DEPARTMENTS.iter().enumerate() {
        let contact = person_name(&mut rng);
        let input = DepartmentInput {
            name: format!("{}{}", data::JURISDICTION_NAME, name),
            kind: (*kind).to_owned(),
            is_justice_bureau: index == data::JUSTICE_BUREAU,
            legal_contact_name: contact.clone(),
            legal_contact_phone: phone(&mut rng),
        };
        let department_id = Store::create_department_in(
            &mut tx,
            None,
            &at,
            crate::store::ROOT_JURISDICTION,
            &input,
        )
        .await?;
        department_ids.push(department_id);
        // The legal-affairs contact is one of the department's people.
        let positions = data::positions_for(name, *staff);
        let mut department_people = Vec::with_capacity(positions.len());
        for (position_index, position) in positions.iter().enumerate() {
            let full_name = if position_index == data::LEGAL_CONTACT_POSITION_INDEX {
                contact.clone()
            } else {
                person_name(&mut rng)
            };
            let person = PersonInput {
                department_id,
                name: full_name,
                position: (*position).to_owned(),
                phone: phone(&mut rng),
            };
            let person_id = Store::create_person_in(&mut tx, None, &at, &person).await?;
            department_people.push((person_id, *position));
            n_people += 1;
            // Enforcement posts hold certificates (行政处罚法第四十二条); one in fifteen lapsed
            // mid-year, so the registry shows what an expired certificate blocks.
            if data::holds_certificate(position) {
                let lapsed = rng.below(15) == 0;
                let valid_until = if lapsed {
                    time::macros::date!(2025 - 06 - 30)
                } else {
                    time::macros::date!(2028 - 12 - 31)
                };
                let number = format!(
                    "99{:02}{:02}{:05}",
                    index + 1,
                    position_index,
                    rng.below(100_000)
                );
                Store::add_certificate_in(
                    &mut tx,
                    person_id,
                    &number,
                    name,
                    time::macros::date!(2022 - 01 - 01),
                    valid_until,
                    &at,
                )
                .await?;
            }
        }
        people_by_department.push(department_people);
    }
    for ((username, _, role, department, display_name), hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        let department_id = department.and_then(|index| department_ids.get(index).copied());
        // Scoped accounts belong to a person of their department: the officer to an enforcement
        // officer (so the certificate registry applies), the legal officer to the 法制员.
        let wanted_post = match role {
            Role::Officer => Some("执法人员"),
            Role::DepartmentLegal => Some("法制员"),
            Role::JusticeStaff => Some("行政复议人员"),
            _ => None,
        };
        let person_id = department
            .and_then(|index| people_by_department.get(index))
            .zip(wanted_post)
            .and_then(|(people, post)| people.iter().find(|(_, p)| *p == post).map(|(id, _)| *id));
        let account = AccountInput {
            username: (*username).to_owned(),
            role: *role,
            department_id,
            jurisdiction_id: crate::store::ROOT_JURISDICTION,
            person_id,
            display_name: (*display_name).to_owned(),
        };
        Store::create_user_in(&mut tx, None, &at, &account, hash).await?;
    }
    // Each department gets the accounts its cases are recorded under: its legal officer and, for
    // enforcement bodies, an officer. They have no password (the hash "!" never verifies), so
    // nobody signs in with them; the printed demo logins are the five above.
    for (index, department_id) in department_ids.iter().enumerate() {
        let people = people_by_department.get(index).cloned().unwrap_or_default();
        let accounts = [
            ("legal", Role::DepartmentLegal, "法制员"),
            ("officer", Role::Officer, "执法人员"),
        ];
        for (suffix, role, post) in accounts {
            let Some((person_id, _)) = people.iter().find(|(_, p)| *p == post) else {
                continue;
            };
            let account = AccountInput {
                username: format!("d{:02}.{suffix}", index + 1),
                role,
                department_id: Some(*department_id),
                jurisdiction_id: crate::store::ROOT_JURISDICTION,
                person_id: Some(*person_id),
                display_name: format!(
                    "{}{}",
                    data::DEPARTMENTS.get(index).map_or("", |d| d.0),
                    if role == Role::Officer {
                        "执法人员"
                    } else {
                        "法制员"
                    }
                ),
            };
            Store::create_user_in(&mut tx, None, &at, &account, "!").await?;
        }
        // The head of the department (局长, 大队长) has an account too, so that a person field on
        // the staff-accounts registry can name them: the approver of a disclosure extension
        // (政府信息公开条例第三十三条第二款), the head appearing in court (行政诉讼法第三条第三款).
        if let Some((person_id, post)) = people.first() {
            let account = AccountInput {
                username: format!("d{:02}.head", index + 1),
                role: Role::Leader,
                department_id: Some(*department_id),
                jurisdiction_id: crate::store::ROOT_JURISDICTION,
                person_id: Some(*person_id),
                display_name: format!(
                    "{}{}",
                    data::DEPARTMENTS.get(index).map_or("", |d| d.0),
                    post
                ),
            };
            Store::create_user_in(&mut tx, None, &at, &account, "!").await?;
        }
        // The 司法局's reconsideration office: its section heads (who approve extensions and
        // conversions, 行政复议法第六十二条、第五十五条) and the reconsideration staff beside the
        // demo's `sifa` login (hearings need a host, two officers and a recorder, 第五十条、第五十一条).
        if index == data::JUSTICE_BUREAU {
            let signed_in = DEMO_ACCOUNTS
                .iter()
                .find(|a| a.2 == Role::JusticeStaff)
                .map(|a| a.4);
            let mut taken_reviewer = false;
            let mut n = 0;
            for (person_id, post) in &people {
                let wanted = match *post {
                    "行政复议与应诉科科长" | "科员" => true,
                    // The first reconsideration officer is the `sifa` login's person.
                    "行政复议人员" => std::mem::replace(&mut taken_reviewer, true),
                    _ => false,
                };
                if !wanted || signed_in.is_none() {
                    continue;
                }
                n += 1;
                let account = AccountInput {
                    username: format!("d{:02}.fy{n}", index + 1),
                    role: Role::JusticeStaff,
                    department_id: Some(*department_id),
                    jurisdiction_id: crate::store::ROOT_JURISDICTION,
                    person_id: Some(*person_id),
                    display_name: format!("司法局{post}"),
                };
                Store::create_user_in(&mut tx, None, &at, &account, "!").await?;
            }
        }
    }
    // The jurisdiction row goes in last: its presence marks a complete demo.
    let jurisdiction = JurisdictionInput {
        name: data::JURISDICTION_NAME.to_owned(),
        level: Level::County,
        code: data::DIVISION_CODE.to_owned(),
    };
    Store::set_jurisdiction_in(&mut tx, None, &at, &jurisdiction, Some((seed, year))).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(DemoOutcome::Created {
        n_departments: department_ids.len(),
        n_people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_for_a_seed_and_differ_between_seeds() {
        let names = |seed| {
            let mut rng = SplitMix64(seed);
            (0..20).map(|_| person_name(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(names(7), names(7));
        assert_ne!(names(7), names(8));
        for name in names(7) {
            assert!((2..=3).contains(&name.chars().count()), "{name}");
        }
    }

    #[test]
    fn the_demo_has_enough_departments_and_people() {
        assert!(data::DEPARTMENTS.len() >= 25);
        let n_people: usize = data::DEPARTMENTS
            .iter()
            .map(|(name, _, staff)| data::positions_for(name, *staff).len())
            .sum();
        assert!(n_people >= 300, "{n_people}");
    }

    #[test]
    fn every_demo_account_passes_validation() {
        for (username, password, role, department, display_name) in DEMO_ACCOUNTS {
            let department = department.map(|d| (d + 1).to_string()).unwrap_or_default();
            let parsed =
                AccountInput::parse(username, role.code(), &department, display_name, password);
            assert!(parsed.is_ok(), "{username}: {parsed:?}");
        }
    }
}
