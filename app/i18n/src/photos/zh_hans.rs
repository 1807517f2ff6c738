use super::PhotoStrings;

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
    count: crate::Plural::same("{0} 张照片"),
};
