//! The tree of jurisdictions (issue #14): 省 → 市 → 县/区/开发区, its root (id 1,
//! [`super::ROOT_JURISDICTION`]) being the deployment's own jurisdiction. Trees are small (a
//! province has about a hundred nodes), so their shape — a subtree, the ancestors, the display
//! order — is computed here in Rust from one query rather than by recursive SQL, which the two
//! databases would each want written their own way.
//!
//! Creating and changing a jurisdiction each run in one transaction with their event; the rules
//! of where a jurisdiction may go are `domain::check_placement`'s, applied here to the parent
//! and children read inside the transaction.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::events::{self, NewEvent};
use super::{ROOT_JURISDICTION, Store, StoreError};
use crate::domain::{self, Division, JurisdictionInput, Level};

/// One jurisdiction of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// Its id (the root's is [`ROOT_JURISDICTION`]).
    pub id: i64,
    /// The jurisdiction above it; `None` for the root.
    pub parent_id: Option<i64>,
    /// GB/T 2260 code (empty while the root has not been named).
    pub code: String,
    /// Name, e.g. 示范市滨河区.
    pub name: String,
    /// Administrative level.
    pub level: Level,
    /// When it was added.
    pub created_at: String,
}

/// A row of the tree page: a jurisdiction, how deep it sits, and what belongs to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// 0 for the root, 1 for its children, and so on.
    pub depth: usize,
    /// Its active departments.
    pub n_departments: i64,
    /// Its active accounts.
    pub n_accounts: i64,
}

const COLUMNS: &str = "id, parent_id, code, name, level, created_at";

use super::invalid;

fn from_row(row: &AnyRow) -> Result<Jurisdiction, StoreError> {
    let level: String = row.try_get("level")?;
    Ok(Jurisdiction {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        level: Level::from_code(&level)
            .ok_or_else(|| StoreError::Corrupt(format!("jurisdiction level {level:?}")))?,
        created_at: row.try_get("created_at")?,
    })
}

/// The ids of `id` and of everything below it, `id` first, then breadth-first.
fn subtree_of(nodes: &[Jurisdiction], id: i64) -> Vec<i64> {
    let mut ids = vec![id];
    let mut next = 0;
    while let Some(&current) = ids.get(next) {
        next += 1;
        for node in nodes {
            // A cycle cannot be made through this module (a parent is chosen once, at
            // creation, among existing jurisdictions), but the check keeps a hand-edited
            // database from looping forever.
            if node.parent_id == Some(current) && !ids.contains(&node.id) {
                ids.push(node.id);
            }
        }
    }
    ids
}

/// The ids above `id`, its parent first and the root last.
fn ancestors_of(nodes: &[Jurisdiction], id: i64) -> Vec<i64> {
    let parents: HashMap<i64, Option<i64>> = nodes.iter().map(|n| (n.id, n.parent_id)).collect();
    let mut ancestors = Vec::new();
    let mut current = parents.get(&id).copied().flatten();
    while let Some(parent) = current {
        if parent == id || ancestors.contains(&parent) {
            break;
        }
        ancestors.push(parent);
        current = parents.get(&parent).copied().flatten();
    }
    ancestors
}

/// `nodes` in display order (each jurisdiction followed by its children, by code) with their
/// depths. A node whose parent is missing is shown as a root.
fn preorder(nodes: &[Jurisdiction]) -> Vec<(&Jurisdiction, usize)> {
    let ids: HashSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&Jurisdiction>> = HashMap::new();
    for node in nodes {
        let parent = node.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(node);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (&a.code, a.id).cmp(&(&b.code, b.id)));
    }
    let mut order = Vec::with_capacity(nodes.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Jurisdiction, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|n| (*n, 0)).collect())
        .unwrap_or_default();
    while let Some((node, depth)) = stack.pop() {
        if !seen.insert(node.id) {
            continue;
        }
        order.push((node, depth));
        if let Some(below) = children.get(&Some(node.id)) {
            stack.extend(below.iter().rev().map(|n| (*n, depth + 1)));
        }
    }
    order
}

/// Whether the deployment is the fictional demo (the only place demo codes may be used).
async fn is_demo(tx: &mut sqlx::AnyConnection) -> Result<bool, StoreError> {
    let is_demo: Option<i64> = sqlx::query_scalar("SELECT is_demo FROM jurisdiction WHERE id = 1")
        .fetch_optional(&mut *tx)
        .await?;
    Ok(is_demo.unwrap_or(0) != 0)
}

async fn node_in(
    tx: &mut sqlx::AnyConnection,
    id: i64,
) -> Result<Option<Jurisdiction>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM jurisdictions WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Refuses a code another jurisdiction (other than `except`) already has.
async fn require_unused_code(
    tx: &mut sqlx::AnyConnection,
    code: &str,
    except: i64,
) -> Result<(), StoreError> {
    let used: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jurisdictions WHERE code = $1 AND id <> $2")
            .bind(code)
            .bind(except)
            .fetch_one(&mut *tx)
            .await?;
    if used > 0 {
        return Err(invalid("code", "duplicate_division_code"));
    }
    Ok(())
}

fn body(parent_id: Option<i64>, input: &JurisdictionInput) -> serde_json::Value {
    json!({
        "parent_id": parent_id,
        "code": input.code,
        "name": input.name,
        "level": input.level.code(),
    })
}

impl Store {
    /// Every jurisdiction, by id.
    pub async fn jurisdictions(&self) -> Result<Vec<Jurisdiction>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM jurisdictions ORDER BY id"
        )))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One jurisdiction of the tree.
    pub async fn jurisdiction_by_id(&self, id: i64) -> Result<Jurisdiction, StoreError> {
        let mut connection = self.pool().acquire().await?;
        node_in(&mut connection, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The jurisdiction with GB/T 2260 code `code`, if any.
    pub async fn jurisdiction_by_code(
        &self,
        code: &str,
    ) -> Result<Option<Jurisdiction>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM jurisdictions WHERE code = $1"
        )))
        .bind(code)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The ids of jurisdiction `id` and of everything below it at any depth, `id` first.
    pub async fn subtree(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let nodes = self.jurisdictions().await?;
        if !nodes.iter().any(|n| n.id == id) {
            return Err(StoreError::NotFound);
        }
        Ok(subtree_of(&nodes, id))
    }

    /// The jurisdictions within `reach` in display order (the reach's own first), each with
    /// its depth below it: what a form offers to choose from.
    pub async fn jurisdictions_within(
        &self,
        reach: super::Reach,
    ) -> Result<Vec<(Jurisdiction, usize)>, StoreError> {
        let nodes = self.jurisdictions().await?;
        let inside: HashSet<i64> = subtree_of(&nodes, reach.0).into_iter().collect();
        let within: Vec<Jurisdiction> = nodes
            .into_iter()
            .filter(|n| inside.contains(&n.id))
            .collect();
        Ok(preorder(&within)
            .into_iter()
            .map(|(n, depth)| (n.clone(), depth))
            .collect())
    }

    /// The ids of the jurisdictions above `id`, its parent first and the root last (empty for
    /// the root).
    pub async fn ancestors(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        let nodes = self.jurisdictions().await?;
        if !nodes.iter().any(|n| n.id == id) {
            return Err(StoreError::NotFound);
        }
        Ok(ancestors_of(&nodes, id))
    }

    /// The whole tree in display order, each jurisdiction with its active departments and
    /// accounts.
    pub async fn jurisdiction_tree(&self) -> Result<Vec<TreeRow>, StoreError> {
        self.jurisdiction_tree_within(super::Reach::EVERYTHING)
            .await
    }

    /// One jurisdiction within `reach` (its subtree's root or below); outside it, not found.
    pub async fn jurisdiction_within(
        &self,
        reach: super::Reach,
        id: i64,
    ) -> Result<Jurisdiction, StoreError> {
        self.jurisdictions_within(reach)
            .await?
            .into_iter()
            .map(|(j, _)| j)
            .find(|j| j.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// The tree within `reach` in display order (its root at depth 0), each jurisdiction with
    /// its active departments and accounts.
    pub async fn jurisdiction_tree_within(
        &self,
        reach: super::Reach,
    ) -> Result<Vec<TreeRow>, StoreError> {
        let all = self.jurisdictions().await?;
        let inside: HashSet<i64> = subtree_of(&all, reach.0).into_iter().collect();
        let nodes: Vec<Jurisdiction> = all.into_iter().filter(|n| inside.contains(&n.id)).collect();
        let count = |sql: &'static str| async move {
            let rows = sqlx::query(sql).fetch_all(self.pool()).await?;
            rows.iter()
                .map(|row| Ok((row.try_get::<i64, _>(0)?, row.try_get::<i64, _>(1)?)))
                .collect::<Result<HashMap<i64, i64>, sqlx::Error>>()
        };
        let departments = count(
            "SELECT jurisdiction_id, COUNT(*) FROM departments WHERE active = 1 \
             GROUP BY jurisdiction_id",
        )
        .await?;
        let accounts = count(
            "SELECT jurisdiction_id, COUNT(*) FROM users WHERE active = 1 GROUP BY jurisdiction_id",
        )
        .await?;
        Ok(preorder(&nodes)
            .into_iter()
            .map(|(jurisdiction, depth)| TreeRow {
                n_departments: departments.get(&jurisdiction.id).copied().unwrap_or(0),
                n_accounts: accounts.get(&jurisdiction.id).copied().unwrap_or(0),
                jurisdiction: jurisdiction.clone(),
                depth,
            })
            .collect())
    }

    /// Adds a jurisdiction under `parent_id`: the parent must exist, the level must be below
    /// the parent's, the code must be a GB/T 2260 code inside the parent's (a demo code only in
    /// the demo) and used by no other jurisdiction. The new jurisdiction gets its own, empty,
    /// log.
    pub async fn create_jurisdiction(
        &self,
        actor: Option<i64>,
        at: &str,
        parent_id: i64,
        input: &JurisdictionInput,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let parent = node_in(&mut tx, parent_id)
            .await?
            .ok_or_else(|| invalid("parent", "unknown_parent"))?;
        let demo = is_demo(&mut tx).await?;
        let placed_under = Division {
            code: &parent.code,
            level: parent.level,
        };
        domain::check_placement(input, Some(placed_under), &[], demo)
            .map_err(StoreError::Invalid)?;
        require_unused_code(&mut tx, &input.code, 0).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO jurisdictions (parent_id, code, name, level, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(parent_id)
        .bind(&input.code)
        .bind(&input.name)
        .bind(input.level.code())
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| super::unique_violation_as(e, "code", "duplicate_division_code"))?;
        // Its place in the tree, for every "this jurisdiction and everything below" query
        // (migration 0012): each of the parent's ancestors (the parent included) and itself.
        sqlx::query(
            "INSERT INTO jurisdiction_closure (ancestor_id, descendant_id, depth) \
             SELECT ancestor_id, $1, depth + 1 FROM jurisdiction_closure WHERE descendant_id = $2",
        )
        .bind(id)
        .bind(parent_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO jurisdiction_closure (ancestor_id, descendant_id, depth) VALUES ($1, $1, 0)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        // Each jurisdiction keeps its own log (migration 0011); its row holds the log's size.
        sqlx::query("INSERT INTO ledger_logs (jurisdiction_id, size) VALUES ($1, 0)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Journaled in the parent's log: the government above sets up the one below.
        events::append(
            &mut tx,
            parent_id,
            &NewEvent {
                kind: "jurisdiction.created",
                subject: format!("jurisdiction:{id}"),
                actor_user_id: actor,
                at: at.into(),
                body: body(Some(parent_id), input),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames, recodes or changes the level of jurisdiction `id`, under the rules of
    /// [`Store::create_jurisdiction`] and so that its children still fit under it. The root is
    /// the deployment's jurisdiction: changing it goes through [`Store::set_jurisdiction_in`],
    /// which keeps the old single-row `jurisdiction` in step (and journals `jurisdiction.set`).
    pub async fn update_jurisdiction(
        &self,
        actor: Option<i64>,
        at: &str,
        id: i64,
        input: &JurisdictionInput,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let current = node_in(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
        let parent = match current.parent_id {
            Some(parent_id) => node_in(&mut tx, parent_id).await?,
            None => None,
        };
        let rows = sqlx::query("SELECT code, level FROM jurisdictions WHERE parent_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let mut children = Vec::with_capacity(rows.len());
        for row in &rows {
            let level: String = row.try_get("level")?;
            let level = Level::from_code(&level)
                .ok_or_else(|| StoreError::Corrupt(format!("jurisdiction level {level:?}")))?;
            children.push((row.try_get::<String, _>("code")?, level));
        }
        let children: Vec<Division<'_>> = children
            .iter()
            .map(|(code, level)| Division {
                code,
                level: *level,
            })
            .collect();
        let demo = is_demo(&mut tx).await?;
        let placed_under = parent.as_ref().map(|p| Division {
            code: &p.code,
            level: p.level,
        });
        domain::check_placement(input, placed_under, &children, demo)
            .map_err(StoreError::Invalid)?;
        require_unused_code(&mut tx, &input.code, id).await?;
        if id == ROOT_JURISDICTION {
            Self::set_jurisdiction_in(&mut tx, actor, at, input, None)
                .await
                .map_err(|e| match e {
                    StoreError::Sql(e) => {
                        super::unique_violation_as(e, "code", "duplicate_division_code")
                    }
                    other => other,
                })?;
        } else {
            sqlx::query("UPDATE jurisdictions SET code = $1, name = $2, level = $3 WHERE id = $4")
                .bind(&input.code)
                .bind(&input.name)
                .bind(input.level.code())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| super::unique_violation_as(e, "code", "duplicate_division_code"))?;
            events::append(
                &mut tx,
                current.parent_id.unwrap_or(id),
                &NewEvent {
                    kind: "jurisdiction.updated",
                    subject: format!("jurisdiction:{id}"),
                    actor_user_id: actor,
                    at: at.into(),
                    body: body(current.parent_id, input),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent_id: Option<i64>, code: &str) -> Jurisdiction {
        Jurisdiction {
            id,
            parent_id,
            code: code.into(),
            name: String::new(),
            level: Level::County,
            created_at: String::new(),
        }
    }

    /// 湖北省 (1) → 武汉市 (2) → 江岸区 (4), 洪山区 (5); 湖北省 → 黄石市 (3) → 下陆区 (6).
    fn hubei() -> Vec<Jurisdiction> {
        vec![
            node(1, None, "420000"),
            node(2, Some(1), "420100"),
            node(3, Some(1), "420200"),
            node(4, Some(2), "420102"),
            node(5, Some(2), "420111"),
            node(6, Some(3), "420204"),
        ]
    }

    #[test]
    fn a_subtree_holds_every_depth_below() {
        let nodes = hubei();
        let mut all = subtree_of(&nodes, 1);
        all.sort_unstable();
        assert_eq!(all, [1, 2, 3, 4, 5, 6]);
        assert_eq!(subtree_of(&nodes, 2), [2, 4, 5]);
        assert_eq!(subtree_of(&nodes, 6), [6]);
    }

    #[test]
    fn ancestors_run_from_the_parent_to_the_root() {
        let nodes = hubei();
        assert_eq!(ancestors_of(&nodes, 4), [2, 1]);
        assert_eq!(ancestors_of(&nodes, 3), [1]);
        assert!(ancestors_of(&nodes, 1).is_empty());
    }

    #[test]
    fn the_display_order_puts_children_under_their_parent_by_code() {
        let mut nodes = hubei();
        nodes.reverse();
        let order: Vec<(i64, usize)> = preorder(&nodes)
            .into_iter()
            .map(|(node, depth)| (node.id, depth))
            .collect();
        assert_eq!(order, [(1, 0), (2, 1), (4, 2), (5, 2), (3, 1), (6, 2)]);
    }

    #[test]
    fn a_cycle_in_a_hand_edited_database_does_not_loop() {
        let nodes = vec![
            node(1, None, "420000"),
            node(2, Some(3), "420100"),
            node(3, Some(2), "420200"),
        ];
        assert_eq!(subtree_of(&nodes, 2), [2, 3]);
        assert_eq!(ancestors_of(&nodes, 2), [3]);
        assert_eq!(preorder(&nodes).len(), 1);
    }
}
