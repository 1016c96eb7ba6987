#!/usr/bin/env python3
"""Writes a realistic national graduation-exam results file (kỳ thi tốt nghiệp THPT).

    bench/gen_exam.py --count 1100000 --out results.csv [--keys keys.txt] [--seed 2026]

One row per candidate: unique 8-digit SBD (2-digit council code + 6-digit number, as the ministry
numbers them), Vietnamese full names with diacritics, birth dates in the exam year's cohort,
Toán and Ngữ văn for everyone plus two electives, scores in 0.25 steps drawn per subject around
plausible means. Written as Vietnamese Excel saves "CSV": UTF-8 with BOM, semicolons, decimal
commas, dd/mm/yyyy dates. `--keys` also writes lookup keys for the load test: valid
(SBD, ISO date) pairs and as many invalid ones (unknown SBD or wrong date).
"""
import argparse
import random

SURNAMES = ["Nguyễn"] * 38 + ["Trần"] * 11 + ["Lê"] * 9 + ["Phạm"] * 7 + ["Hoàng"] * 5 + ["Huỳnh"] * 4 + ["Phan"] * 4 + \
    ["Vũ"] * 4 + ["Võ"] * 3 + ["Đặng"] * 2 + ["Bùi"] * 2 + ["Đỗ"] * 2 + ["Hồ"] * 2 + ["Ngô"] * 2 + ["Dương", "Lý", "Đinh", "Trương", "Lương", "Mai", "Đoàn", "Tạ", "Quách", "Lưu"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Gia", "Hoàng", "Tuấn", "Đình", "Xuân", "Ngọc", "Anh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Khánh", "Bảo", "Mai", "Diệu", "Hải", "Quỳnh", "Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Long",
           "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn",
           "Trí", "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Vũ", "Bảo", "Đạt", "Hoàng", "Lâm"]
GIVEN_F = ["Anh", "Ánh", "Châu", "Chi", "Diệp", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huyền", "Hương",
           "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh",
           "Thảo", "Thơ", "Thu", "Thủy", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến"]
PROVINCES = ["Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Hà Giang", "Cao Bằng", "Lai Châu", "Lào Cai", "Tuyên Quang", "Lạng Sơn",
             "Bắc Kạn", "Thái Nguyên", "Yên Bái", "Sơn La", "Phú Thọ", "Vĩnh Phúc", "Quảng Ninh", "Bắc Giang", "Bắc Ninh", "Hải Dương",
             "Hưng Yên", "Hòa Bình", "Hà Nam", "Nam Định", "Thái Bình", "Ninh Bình", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
             "Quảng Trị", "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Kon Tum", "Bình Định", "Gia Lai", "Phú Yên", "Đắk Lắk",
             "Khánh Hòa", "Lâm Đồng", "Bình Phước", "Bình Dương", "Ninh Thuận", "Tây Ninh", "Bình Thuận", "Đồng Nai", "Long An",
             "Đồng Tháp", "An Giang", "Bà Rịa - Vũng Tàu", "Tiền Giang", "Kiên Giang", "Cần Thơ", "Bến Tre", "Vĩnh Long", "Trà Vinh",
             "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Điện Biên", "Đắk Nông", "Hậu Giang"]
# Candidates per council: the big cities carry more.
WEIGHTS = [9, 8, 3, 2] + [1] * (len(PROVINCES) - 4)
# subject: (mean, spread)
CORE = [("Toán", 4.8, 1.5), ("Ngữ văn", 7.0, 1.2)]
ELECTIVES = [("Ngoại ngữ", 5.5, 1.8), ("Vật lí", 6.9, 1.3), ("Hóa học", 6.1, 1.4), ("Sinh học", 5.8, 1.2), ("Lịch sử", 6.5, 1.3),
             ("Địa lí", 6.6, 1.2), ("GD kinh tế và pháp luật", 7.7, 1.0), ("Tin học", 6.7, 1.3), ("Công nghệ", 7.2, 1.0)]
ELECTIVE_WEIGHTS = [30, 22, 14, 6, 18, 22, 20, 3, 2]


def score(rng, mean, spread):
    value = rng.gauss(mean, spread)
    value = min(10.0, max(0.0, value))
    return round(value * 4) / 4


def text(value):
    if value == int(value):
        return str(int(value))
    return ("%.2f" % value).rstrip("0").replace(".", ",")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_100_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--keys")
    parser.add_argument("--key-count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    subjects = [s[0] for s in CORE] + [s[0] for s in ELECTIVES]
    header = ["SBD", "Họ và tên", "Ngày sinh", "Giới tính", "Hội đồng thi"] + subjects + ["Ghi chú"]
    # Allocate candidates to councils, then number them within each council (unique SBDs).
    total_weight = sum(WEIGHTS)
    per_council = [args.count * w // total_weight for w in WEIGHTS]
    per_council[0] += args.count - sum(per_council)
    keys_valid = []
    sample_every = max(1, args.count // args.key_count)
    written = 0
    with open(args.out, "w", encoding="utf-8-sig", newline="") as out:
        out.write(";".join(header) + "\r\n")
        for council_index, n in enumerate(per_council):
            council = "Sở GD&ĐT " + PROVINCES[council_index]
            code = council_index + 1
            for k in range(1, n + 1):
                sbd = "%02d%06d" % (code, k)
                female = rng.random() < 0.53
                name = " ".join([rng.choice(SURNAMES), rng.choice(MIDDLE_F if female else MIDDLE_M), rng.choice(GIVEN_F if female else GIVEN_M)])
                if rng.random() < 0.15:
                    name = name.replace(" ", " " + rng.choice(MIDDLE_F if female else MIDDLE_M) + " ", 1)
                born_year = args.year - 18 if rng.random() < 0.96 else args.year - rng.randint(19, 25)
                day, month = rng.randint(1, 28), rng.randint(1, 12)
                scores = [""] * len(subjects)
                for i, (_, mean, spread) in enumerate(CORE):
                    scores[i] = text(score(rng, mean, spread))
                chosen = set()
                while len(chosen) < 2:
                    chosen.add(rng.choices(range(len(ELECTIVES)), ELECTIVE_WEIGHTS)[0])
                for e in chosen:
                    _, mean, spread = ELECTIVES[e]
                    scores[len(CORE) + e] = text(score(rng, mean, spread))
                note = ""
                if rng.random() < 0.004:
                    missing = rng.randrange(len(subjects))
                    if scores[missing]:
                        scores[missing] = ""
                        note = "Vắng thi môn " + subjects[missing]
                row = [sbd, name, "%02d/%02d/%04d" % (day, month, born_year), "Nữ" if female else "Nam", council] + scores + [note]
                out.write(";".join('"%s"' % c if (";" in c or "," in c and c not in scores) else c for c in row) + "\r\n")
                written += 1
                if written % sample_every == 0 and len(keys_valid) < args.key_count:
                    keys_valid.append((sbd, "%04d-%02d-%02d" % (born_year, month, day)))
    if args.keys:
        with open(args.keys, "w", encoding="utf-8") as keys:
            for sbd, iso in keys_valid:
                keys.write("%s %s\n" % (sbd, iso))
            for i, (sbd, iso) in enumerate(keys_valid):
                if i % 2:
                    keys.write("%s %s\n" % (sbd, "2001-01-01"))       # right SBD, wrong date
                else:
                    keys.write("99%06d %s\n" % (i, iso))              # unknown SBD
    print("wrote %d candidates to %s" % (written, args.out))


if __name__ == "__main__":
    main()
