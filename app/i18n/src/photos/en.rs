use super::PhotoStrings;

pub static EN: PhotoStrings = PhotoStrings {
    label: "Photos (optional, up to 3)",
    add: "Take / add photo",
    compressing: "Compressing photo…",
    not_an_image:
        "This file is not a photo. Please choose another; everything you typed is still here.",
    failed: "The photo could not be processed (the phone may be low on memory). Please try again.",
    not_saved: "The photo could not be saved on this phone (storage may be full).",
    remove: "Remove photo",
    heading: "Photos",
    alt: "Photo of the concern",
    syncing: "Photo syncing…",
    count: crate::Plural {
        one: "{0} photo",
        other: "{0} photos",
    },
};
