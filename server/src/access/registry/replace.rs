//! Replacing one community whole: how a relay node on a shared database takes what another
//! node changed (`crate::database::registry`).

use std::sync::Arc;

use super::{Community, Registry};

impl Registry {
    /// Replaces the community at `key` with `new` (`None`: removes it), index included.
    /// Returns the ids of its members who could sync before and cannot now (revoked or gone).
    pub(crate) fn replace_community(
        &mut self,
        key: &str,
        new: Option<Arc<Community>>,
    ) -> Vec<String> {
        let old = match &new {
            Some(c) => self.communities.insert(key.to_string(), c.clone()),
            None => self.communities.remove(key),
        };
        let mut cut_off = Vec::new();
        if let Some(old) = &old {
            for m in &old.members {
                let still = new
                    .as_ref()
                    .and_then(|c| c.members.iter().find(|n| n.id == m.id))
                    .is_some_and(|n| !n.revoked);
                if !m.revoked && !still {
                    cut_off.push(m.id.clone());
                }
                if self.index.members.get(&m.id).is_some_and(|k| k == key) {
                    self.index.members.remove(&m.id);
                }
            }
            for doc in &old.documents {
                if self.index.owners.get(doc).is_some_and(|k| k == key) {
                    self.index.owners.remove(doc);
                }
            }
            for link in &old.report_links {
                if self
                    .index
                    .report_links
                    .get(&link.token)
                    .is_some_and(|k| k == key)
                {
                    self.index.report_links.remove(&link.token);
                }
            }
        }
        if let Some(new) = &new {
            self.index_community(key, new);
        }
        cut_off
    }

    /// Indexes the members, documents and report links of the community at `key`. An id
    /// already indexed keeps its community: the first in key order wins, as a scan would find.
    pub(super) fn index_community(&mut self, key: &str, community: &Community) {
        for m in &community.members {
            self.index
                .members
                .insert_if_absent(m.id.clone(), || key.to_string());
        }
        for doc in &community.documents {
            self.index
                .owners
                .insert_if_absent(doc.clone(), || key.to_string());
        }
        for link in &community.report_links {
            self.index
                .report_links
                .insert_if_absent(link.token.clone(), || key.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_shared::domain::Role;
    use linli_shared::wire::DocumentId;

    #[test]
    fn a_replaced_community_is_found_by_its_new_rows_and_names_who_lost_access() {
        let doc = DocumentId::from_bytes([7; 16]);
        let mut registry = Registry::default();
        let grant = registry.create_community(doc, Role::Committee).unwrap();
        let key = doc.to_string();
        let member_id = grant.member_id.clone();
        assert!(registry.authenticate(&grant.credential).is_some());

        let mut changed = Community::clone(&registry.communities[&key]);
        changed.members[0].revoked = true;
        let cut = registry.replace_community(&key, Some(Arc::new(changed)));
        assert_eq!(cut, vec![member_id.clone()]);
        assert!(!registry.is_active(&member_id));

        assert!(registry.replace_community(&key, None).is_empty());
        assert!(registry.authenticate(&grant.credential).is_none());
        assert_eq!(registry.owner(&doc), None);
    }
}
