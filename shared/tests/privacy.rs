//! `mask_phones` over the ways people in China really write phone numbers,
//! and the text around them that must survive untouched.

use linli_shared::privacy::mask_phones;

fn masked(input: &str, expected: &str) {
    assert_eq!(mask_phones(input), expected, "input: {input}");
}

fn untouched(input: &str) {
    assert_eq!(mask_phones(input), input, "should be left alone");
}

#[test]
fn mobiles_in_every_common_writing() {
    masked("张阿姨 13812345678", "张阿姨 138****5678");
    masked("电话13812345678，住3栋2单元", "电话138****5678，住3栋2单元");
    masked("138 1234 5678", "138 **** 5678");
    masked("138-1234-5678", "138-****-5678");
    masked("138 1234-5678", "138 ****-5678");
    masked("1381234 5678", "138**** 5678");
    masked("138.1234.5678", "138.****.5678");
    masked("（手机：199 8765 4321）", "（手机：199 **** 4321）");
    masked("Tel13812345678", "Tel138****5678");
    masked("tel: 15012345678", "tel: 150****5678");
}

#[test]
fn full_width_digits_are_masked_like_ascii() {
    masked("１３８１２３４５６７８", "１３８****５６７８");
    masked("１３８－１２３４－５６７８", "１３８－****－５６７８");
}

#[test]
fn country_prefixes() {
    masked("+86 138 1234 5678", "+86 138 **** 5678");
    masked("+8613812345678", "+86138****5678");
    masked("＋86-138-1234-5678", "＋86-138-****-5678");
    masked("0086 13812345678", "0086 138****5678");
    masked("86 13812345678", "86 138****5678");
    masked("(+86)13812345678", "(+86)138****5678");
    masked("+86 731 8381 2345", "+86 731 **** 2345");
}

#[test]
fn landlines_with_area_code() {
    masked("0731-83812345", "0731-****2345");
    masked("073183812345", "0731****2345");
    masked("0731 8381 2345", "0731 **** 2345");
    masked("(0731)83812345", "(0731)****2345");
    masked("（0731）83812345", "（0731）****2345");
    masked("(0731) 8381-2345", "(0731) ****-2345");
    masked("010-12345678", "010-****5678");
    masked("01012345678", "010****5678");
    masked("020 8765 4321", "020 **** 4321");
    masked("0739-8381234", "0739-***1234");
}

#[test]
fn landline_extensions_keep_the_number_masked() {
    masked("0731-83812345-801", "0731-****2345-801");
    masked("0731-83812345转801", "0731-****2345转801");
    masked("010-12345678 ext 12", "010-****5678 ext 12");
}

#[test]
fn local_numbers_without_area_code() {
    masked("物业 83812345", "物业 ****2345");
    masked("门卫8381234", "门卫***1234");
}

#[test]
fn several_numbers_in_one_text() {
    masked(
        "王师傅 138-1234-5678 或 0731-83812345",
        "王师傅 138-****-5678 或 0731-****2345",
    );
    masked("13812345678 13987654321", "138****5678 139****4321");
    masked("2026-11-30 联系 13812345678", "2026-11-30 联系 138****5678");
}

#[test]
fn dates_stay() {
    untouched("2026-11-30");
    untouched("2026年11月30日下午3点");
    untouched("2026/11/30");
    untouched("2026.11.30 14:30");
    untouched("11月30日 9:00-11:30");
    untouched("2026-11-30 2026-12-01");
}

#[test]
fn house_numbers_amounts_and_ids_stay() {
    untouched("3栋201室");
    untouched("3栋2单元1201");
    untouched("12-3-1201");
    untouched("维修基金 12000000元");
    untouched("花费 ¥12345678");
    untouched("预算 1500000 万");
    untouched("550e8400-e29b-41d4-a716-446655440000");
    untouched("12345678-abcd-4ef0-9abc-def012345678");
    untouched("400-820-8820");
    untouched("");
    untouched("楼道灯坏了");
}

#[test]
fn no_middle_digit_of_a_number_survives() {
    for text in [
        "13800001111",
        "138 0000 1111",
        "+86 138-0000-1111",
        "0731-00001111",
        "（0731）0000 1111",
    ] {
        let out = mask_phones(text);
        assert!(!out.contains("0000"), "{text} → {out}");
        assert_eq!(out.chars().count(), text.chars().count(), "{out}");
    }
}
