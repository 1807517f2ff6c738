use super::PhotoStrings;

pub static ZH_HANT: PhotoStrings = PhotoStrings {
    label: "照片（可選，最多 3 張）",
    add: "拍照/加入照片",
    compressing: "正在壓縮照片…",
    not_an_image: "這個檔案不是照片，無法使用。請換一張；已填寫的內容都還在。",
    failed: "照片處理失敗（手機記憶體可能不足），請再試一次。",
    not_saved: "照片無法儲存到本機（手機儲存空間可能不足）。",
    remove: "刪除照片",
    heading: "照片",
    alt: "民情照片",
    syncing: "照片同步中",
    count: crate::Plural::same("{0} 張照片"),
};
