//! Text of concern photos (the 记录 screen's picker and the concern page).
//! Templates use {0} (see `concern::fill`).

pub struct PhotoStrings {
    pub label: &'static str,
    pub add: &'static str,
    pub compressing: &'static str,
    pub not_an_image: &'static str,
    pub failed: &'static str,
    pub not_saved: &'static str,
    pub remove: &'static str,
    pub heading: &'static str,
    pub alt: &'static str,
    pub syncing: &'static str,
    /// List row: how many photos (for screen readers).
    pub count: &'static str,
}

pub static ZH_HANS: PhotoStrings = PhotoStrings {
    label: "照片（可选，最多 3 张）",
    add: "拍照/添加照片",
    compressing: "正在压缩照片…",
    not_an_image: "这个文件不是照片，无法使用。请换一张；已填写的内容都还在。",
    failed: "照片处理失败（手机内存可能不足），请再试一次。",
    not_saved: "照片无法保存到本机（手机存储空间可能不足）。",
    remove: "删除照片",
    heading: "照片",
    alt: "民情照片",
    syncing: "照片同步中",
    count: "{0} 张照片",
};

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
    count: "{0} 張照片",
};

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
    count: "{0} photo(s)",
};
