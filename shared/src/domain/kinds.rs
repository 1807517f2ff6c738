//! Closed vocabularies, stored in documents as short stable strings.

/// Declares a fieldless enum stored as a string: `as_str`, `parse`, `ALL`,
/// `Display`, autosurgeon `Reconcile`/`Hydrate` and serde (the same string).
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The string stored in the document.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Reads the stored string.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl autosurgeon::Reconcile for $name {
            type Key<'a> = autosurgeon::reconcile::NoKey;

            fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                reconciler.str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Self::parse(&s)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&s, &[$($text),+]))
            }
        }

        impl autosurgeon::Hydrate for $name {
            fn hydrate_string(s: &'_ str) -> Result<Self, autosurgeon::HydrateError> {
                Self::parse(s).ok_or_else(|| {
                    autosurgeon::HydrateError::unexpected(stringify!($name), s.to_string())
                })
            }
        }
    };
}

pub(crate) use string_enum;

string_enum! {
    /// Where a concern is being handled: 邻 → 组 → 片 → 村/社区 → 镇/街道 → 市.
    /// Ordered from lowest to highest.
    pub enum Level {
        /// 邻: the 邻长's circle of 5–15 households.
        Neighbour => "neighbour",
        /// 组: 村(居)民小组 or a residential compound.
        Group => "group",
        /// 片: an area of several groups (片长).
        Area => "area",
        /// 村/社区: the village or community committee (两委).
        Committee => "committee",
        /// 镇/街道: town or subdistrict.
        Town => "town",
        /// 市: city.
        City => "city",
    }
}

impl Level {
    /// The next level up, if any.
    pub fn next(self) -> Option<Level> {
        let i = Level::ALL.iter().position(|l| *l == self)?;
        Level::ALL.get(i + 1).copied()
    }
}

string_enum! {
    /// Where a concern is in its closed loop 发现 → 反映 → 解决 → 反馈.
    pub enum ConcernStatus {
        /// Recorded or escalated; waiting for someone at its level to claim it.
        Open => "open",
        /// Someone took it on (领办).
        Claimed => "claimed",
        /// Done; waiting for the resident's verdict.
        Resolved => "resolved",
        /// The resident gave feedback; the loop is closed.
        Closed => "closed",
        /// The resident was not satisfied; open again at the same level.
        Reopened => "reopened",
    }
}

impl ConcernStatus {
    /// Precedence when concurrent commands wrote different statuses (higher wins):
    /// Reopened > Closed > Resolved > Claimed > Open. Work done beats a concurrent
    /// claim, release or escalation; a resident's reopen beats a concurrent feedback.
    pub fn merge_rank(self) -> u8 {
        match self {
            ConcernStatus::Open => 0,
            ConcernStatus::Claimed => 1,
            ConcernStatus::Resolved => 2,
            ConcernStatus::Closed => 3,
            ConcernStatus::Reopened => 4,
        }
    }

    /// Open or Reopened: waiting for a claimant.
    pub fn is_unclaimed(self) -> bool {
        matches!(self, ConcernStatus::Open | ConcernStatus::Reopened)
    }

    /// Resolved or Closed.
    pub fn is_done(self) -> bool {
        matches!(self, ConcernStatus::Resolved | ConcernStatus::Closed)
    }
}

string_enum! {
    /// What a concern is about (from the cases in DOMAIN.md).
    #[derive(Default)]
    pub enum Category {
        /// Manhole covers, drains, irrigation channels, roads.
        PublicFacilities => "public_facilities",
        /// Street lights, dead stairwell lights.
        Lighting => "lighting",
        /// Lifts in old buildings, repairs to shared parts of buildings.
        Housing => "housing",
        /// Flying charging cables (飞线充电), fire risks.
        FireSafety => "fire_safety",
        /// Things thrown from windows, other safety hazards.
        PublicSafety => "public_safety",
        /// Cars parked anywhere.
        Parking => "parking",
        /// Rubbish, hygiene, greenery.
        Environment => "environment",
        /// Disputes between neighbours (a tree blocking light …).
        NeighbourDispute => "neighbour_dispute",
        /// Elderly living alone, left-behind children.
        CareForElderlyAndChildren => "care",
        /// 微心愿: a small wish to fulfil.
        SmallWish => "small_wish",
        /// Questions about policy.
        Policy => "policy",
        /// Anything else.
        #[default]
        Other => "other",
    }
}

string_enum! {
    /// A member's role in the 三长制 chain.
    pub enum Role {
        /// 邻长 (= 村(居)民代表).
        NeighbourLeader => "neighbour_leader",
        /// 组长.
        GroupLeader => "group_leader",
        /// 片长.
        AreaLeader => "area_leader",
        /// 两委: village/community committee staff.
        Committee => "committee",
        /// 镇/街道 staff.
        Town => "town",
    }
}

string_enum! {
    /// A node of the community's org tree.
    pub enum UnitKind {
        /// 片.
        Area => "area",
        /// 组.
        Group => "group",
        /// 邻.
        Neighbourhood => "neighbourhood",
        /// 户.
        Household => "household",
    }
}

impl UnitKind {
    /// The kind a unit of this kind must sit under (None for 片, the root).
    pub fn parent_kind(self) -> Option<UnitKind> {
        match self {
            UnitKind::Area => None,
            UnitKind::Group => Some(UnitKind::Area),
            UnitKind::Neighbourhood => Some(UnitKind::Group),
            UnitKind::Household => Some(UnitKind::Neighbourhood),
        }
    }
}
