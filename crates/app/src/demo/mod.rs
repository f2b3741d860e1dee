//! The demo: 示范市, a clearly fictional city (its GB/T 2260 code 999900 and its districts' are
//! outside the assigned range) running departments of its own, with three districts of
//! different sizes and quality under it — 滨河区, large and a model; 临江区, middling, with many
//! overdue cases; 云岭县, small and late with its annual report — each with its departments,
//! people and accounts.
//!
//! The demo is deterministic for a seed: the same seed gives the same names in the same order.
//! The city's row (which marks the database as a demo, the only place demo codes may be used)
//! and its districts go in first, each jurisdiction in its own transaction as the store makes
//! them; then everything else in one transaction, whose departments mark a complete demo. An
//! interrupted run is resumed on the next one; re-running on a complete demo reuses it.

pub mod cases;
mod data;
pub mod report;

use crate::clock::to_db_time;
use crate::domain::{AccountInput, DepartmentInput, JurisdictionInput, PersonInput, Role};
use crate::store::{Store, StoreError};

pub use data::{CITY_NAME, JURISDICTION_NAME, PLACES, Place};

/// The demo's sign-in accounts: (username, password, role, department index in its place's
/// [`Place::department_list`] if scoped, display name). An account belongs to the place whose
/// [`Place::prefix`] its name starts with (`shi.` the city), the others to the largest district
/// (see [`place_of_account`]): the first five are the district's, one per role, the last two
/// the city's administrator and its 司法局's supervisor, who sees every district. Passwords are
/// fixed so the README and the start-up banner can print them; they are for the fictional demo
/// only.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<usize>, &str); 7] = [
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
    (
        "shi.admin",
        "demo-shi-admin-2026",
        Role::Admin,
        None,
        "孙立新",
    ),
    (
        "shi.sifa",
        "demo-shi-sifa-2026",
        Role::JusticeStaff,
        Some(data::CITY_JUSTICE_BUREAU),
        "郑晓梅",
    ),
];

/// The index in [`PLACES`] of the place a demo account belongs to: the one whose non-empty
/// prefix its name starts with, else the largest district.
pub fn place_of_account(username: &str) -> usize {
    PLACES
        .iter()
        .position(|p| !p.prefix.is_empty() && username.starts_with(p.prefix))
        .unwrap_or(data::LARGEST)
}

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
    let (n_departments, _) = store.organisation_counts(crate::authz::Scope::All).await?;
    let (seed, year) = match store.jurisdiction().await? {
        Some(existing) => match (existing.is_demo, existing.demo_seed, existing.demo_year) {
            (true, Some(seed), Some(year)) if n_departments > 0 => {
                return Ok(DemoOutcome::Reused { seed, year });
            }
            // The city was set up but the run stopped before its departments: go on with the
            // seed and year it was started with.
            (true, Some(seed), Some(year)) => (seed, year),
            _ => return Err(DemoError::NotADemoDatabase(existing.name)),
        },
        None if n_departments > 0 => return Err(DemoError::NotEmpty),
        None => (seed, year),
    };

    // Hash the printed passwords before opening a transaction: Argon2 is slow on purpose.
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for (_, password, ..) in DEMO_ACCOUNTS {
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || crate::password::hash(&password))
            .await
            .map_err(|_| crate::password::PasswordError)??;
        hashes.push(hash);
    }

    let at = to_db_time(at);
    // The city first: its row makes this a demo database, where the districts' demo codes may
    // be used.
    if store.jurisdiction().await?.is_none() {
        let city = JurisdictionInput {
            name: data::CITY_NAME.to_owned(),
            level: crate::domain::Level::City,
            code: data::CITY_CODE.to_owned(),
        };
        store
            .set_jurisdiction(None, &at, &city, Some((seed, year)))
            .await?;
    }
    let mut jurisdiction_ids = Vec::with_capacity(PLACES.len());
    for (index, place) in PLACES.iter().enumerate() {
        let id = if index == data::CITY {
            crate::store::ROOT_JURISDICTION
        } else if let Some(existing) = store.jurisdiction_by_code(place.code).await? {
            existing.id
        } else {
            let input = JurisdictionInput {
                name: place.name.to_owned(),
                level: place.level,
                code: place.code.to_owned(),
            };
            store
                .create_jurisdiction(None, &at, crate::store::ROOT_JURISDICTION, &input)
                .await?
        };
        jurisdiction_ids.push(id);
    }

    let mut rng = SplitMix64(seed as u64);
    let mut tx = store.begin().await?;
    let mut made = DemoOutcome::Created {
        n_departments: 0,
        n_people: 0,
    };
    // The largest district first: its names and ids are those of the one-district demo before
    // the city, so what was said about them still holds.
    let order = std::iter::once(data::LARGEST)
        .chain((0..PLACES.len()).filter(|i| *i != data::LARGEST))
        .collect::<Vec<_>>();
    for index in order {
        let (Some(place), Some(jurisdiction_id)) = (PLACES.get(index), jurisdiction_ids.get(index))
        else {
            continue;
        };
        let logins: Vec<(&DemoAccount, &str)> = DEMO_ACCOUNTS
            .iter()
            .zip(&hashes)
            .filter(|(account, _)| place_of_account(account.0) == index)
            .map(|(account, hash)| (account, hash.as_str()))
            .collect();
        let (departments, people) =
            create_place(&mut tx, &mut rng, &at, place, *jurisdiction_id, &logins).await?;
        if let DemoOutcome::Created {
            n_departments,
            n_people,
        } = &mut made
        {
            *n_departments += departments;
            *n_people += people;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(made)
}

/// A row of [`DEMO_ACCOUNTS`].
type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    Option<usize>,
    &'static str,
);

/// One place's departments, their people and certificates, its printed `logins` (with their
/// password hashes) and the password-less accounts its cases are recorded under. Returns the
/// numbers of departments and people made.
async fn create_place(
    tx: &mut sqlx::AnyConnection,
    rng: &mut SplitMix64,
    at: &str,
    place: &Place,
    jurisdiction_id: i64,
    logins: &[(&DemoAccount, &str)],
) -> Result<(usize, usize), DemoError> {
    let list = place.department_list();
    let mut department_ids = Vec::with_capacity(list.len());
    let mut people_by_department: Vec<Vec<(i64, &str)>> = Vec::with_capacity(list.len());
    let mut n_people = 0;
    for (index, (name, kind, staff)) in list.iter().enumerate() {
        let contact = person_name(rng);
        let input = DepartmentInput {
            name: format!("{}{}", place.name, name),
            kind: (*kind).to_owned(),
            is_justice_bureau: *name == "司法局",
            legal_contact_name: contact.clone(),
            legal_contact_phone: phone(rng),
        };
        let department_id =
            Store::create_department_in(&mut *tx, None, at, jurisdiction_id, &input).await?;
        department_ids.push(department_id);
        // The legal-affairs contact is one of the department's people.
        let positions = data::positions_for(name, *staff);
        let mut department_people = Vec::with_capacity(positions.len());
        for (position_index, position) in positions.iter().enumerate() {
            let full_name = if position_index == data::LEGAL_CONTACT_POSITION_INDEX {
                contact.clone()
            } else {
                person_name(rng)
            };
            let person = PersonInput {
                department_id,
                name: full_name,
                position: (*position).to_owned(),
                phone: phone(rng),
            };
            let person_id = Store::create_person_in(&mut *tx, None, at, &person).await?;
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
                // The largest district's numbers as before the city; the others' carry their
                // code's last two digits.
                let number = if place.prefix.is_empty() {
                    format!(
                        "99{:02}{:02}{:05}",
                        index + 1,
                        position_index,
                        rng.below(100_000)
                    )
                } else {
                    format!(
                        "99{}{:02}{:02}{:05}",
                        place.code.get(4..).unwrap_or("00"),
                        index + 1,
                        position_index,
                        rng.below(100_000)
                    )
                };
                Store::add_certificate_in(
                    &mut *tx,
                    person_id,
                    &number,
                    name,
                    time::macros::date!(2022 - 01 - 01),
                    valid_until,
                    at,
                )
                .await?;
            }
        }
        people_by_department.push(department_people);
    }
    for ((username, _, role, department, display_name), hash) in logins {
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
            jurisdiction_id,
            person_id,
            display_name: (*display_name).to_owned(),
        };
        Store::create_user_in(&mut *tx, None, at, &account, hash).await?;
    }
    // Each department gets the accounts its cases are recorded under: its legal officer and, for
    // enforcement bodies, an officer. They have no password (the hash "!" never verifies), so
    // nobody signs in with them; the printed demo logins are those above.
    let prefix = place.prefix;
    for (index, department_id) in department_ids.iter().enumerate() {
        let people = people_by_department.get(index).cloned().unwrap_or_default();
        let department_name = list.get(index).map_or("", |d| d.0);
        let accounts = [
            ("legal", Role::DepartmentLegal, "法制员"),
            ("officer", Role::Officer, "执法人员"),
        ];
        for (suffix, role, post) in accounts {
            let Some((person_id, _)) = people.iter().find(|(_, p)| *p == post) else {
                continue;
            };
            let account = AccountInput {
                username: format!("{prefix}d{:02}.{suffix}", index + 1),
                role,
                department_id: Some(*department_id),
                jurisdiction_id,
                person_id: Some(*person_id),
                display_name: format!(
                    "{department_name}{}",
                    if role == Role::Officer {
                        "执法人员"
                    } else {
                        "法制员"
                    }
                ),
            };
            Store::create_user_in(&mut *tx, None, at, &account, "!").await?;
        }
        // The head of the department (局长, 大队长) has an account too, so that a person field on
        // the staff-accounts registry can name them: the approver of a disclosure extension
        // (政府信息公开条例第三十三条第二款), the head appearing in court (行政诉讼法第三条第三款).
        if let Some((person_id, post)) = people.first() {
            let account = AccountInput {
                username: format!("{prefix}d{:02}.head", index + 1),
                role: Role::Leader,
                department_id: Some(*department_id),
                jurisdiction_id,
                person_id: Some(*person_id),
                display_name: format!("{department_name}{post}"),
            };
            Store::create_user_in(&mut *tx, None, at, &account, "!").await?;
        }
        // The 司法局's reconsideration office: its section heads (who approve extensions and
        // conversions, 行政复议法第六十二条、第五十五条) and the reconsideration staff beside the
        // place's signed-in 司法局 account, if it has one (hearings need a host, two officers
        // and a recorder, 第五十条、第五十一条).
        if department_name == "司法局" {
            let signed_in = logins.iter().any(|(a, _)| a.2 == Role::JusticeStaff);
            // The first reconsideration officer is the signed-in account's person.
            let mut taken_reviewer = !signed_in;
            let mut n = 0;
            for (person_id, post) in &people {
                let wanted = match *post {
                    "行政复议与应诉科科长" | "科员" => true,
                    "行政复议人员" => std::mem::replace(&mut taken_reviewer, true),
                    _ => false,
                };
                if !wanted {
                    continue;
                }
                n += 1;
                let account = AccountInput {
                    username: format!("{prefix}d{:02}.fy{n}", index + 1),
                    role: Role::JusticeStaff,
                    department_id: Some(*department_id),
                    jurisdiction_id,
                    person_id: Some(*person_id),
                    display_name: format!("司法局{post}"),
                };
                Store::create_user_in(&mut *tx, None, at, &account, "!").await?;
            }
        }
    }
    Ok((department_ids.len(), n_people))
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
