/**
 * Weighted Vietnamese name parts for the search-quality benchmark, curated by hand.
 *
 * Family names: the shares are those commonly published for Vietnam's surnames (the figures
 * quoted from the 2000s surname surveys, e.g. Lê Trung Hoa, "Họ và tên người Việt Nam", and the
 * summaries of them on Wikipedia's "Vietnamese name" / "Danh sách họ người Việt Nam" pages):
 * Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 %, Phạm ≈ 7 %, Hoàng/Huỳnh ≈ 5 %, Phan ≈ 4.5 %, Vũ/Võ
 * ≈ 3.9 %, Đặng 2.1 %, Bùi 2 %, Đỗ 1.4 %, Hồ 1.3 %, Ngô 1.3 %, Dương 1 %, Lý 0.5 %. The long
 * tail's weights are estimates in the same spirit (each well under 1 %), not measured figures.
 * Hoàng/Huỳnh and Vũ/Võ are one name each, spelt the northern and the southern way: their shares
 * are split between the spellings here.
 *
 * Middle and given names: no official frequency table is published; the lists are common
 * names as they appear in birth-name lists and name-meaning dictionaries, ordered by hand from
 * the most to the least common, and weighted by their rank (Zipf-like: weight 1 / (rank + 4)).
 * The order is a judgement, not a measurement: what matters for a search benchmark is that a few
 * names are very common, most are rare, and the vocabulary is as wide as real rolls'.
 */

export type Weighted = ReadonlyArray<readonly [string, number]>;

export const FAMILY_NAMES: Weighted = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 3],
  ['Huỳnh', 2],
  ['Phan', 4.5],
  ['Vũ', 2],
  ['Võ', 1.9],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.45],
  ['Trịnh', 0.4],
  ['Lương', 0.35],
  ['Mai', 0.35],
  ['Đoàn', 0.35],
  ['Trương', 0.35],
  ['Lâm', 0.3],
  ['Cao', 0.3],
  ['Tạ', 0.25],
  ['Hà', 0.25],
  ['Lưu', 0.2],
  ['Quách', 0.15],
  ['Kiều', 0.12],
  ['Châu', 0.12],
  ['Văn', 0.1],
  ['La', 0.1],
  ['Thái', 0.1],
  ['Tôn', 0.08],
  ['Tăng', 0.08],
  ['Triệu', 0.08],
  ['Khúc', 0.05],
  ['Giang', 0.06],
  ['Âu', 0.05],
  ['Mạc', 0.05],
  ['Chu', 0.08],
  ['Thân', 0.06],
  ['Đàm', 0.06],
  ['Nghiêm', 0.05],
  ['Phùng', 0.1],
  ['Diệp', 0.04],
  ['Kim', 0.04],
  ['Thạch', 0.06],
  ['Sơn', 0.05],
  ['Lò', 0.05],
  ['Hứa', 0.05],
  ['Ông', 0.04],
  ['Tống', 0.06],
  ['Vương', 0.07],
  ['Lại', 0.06],
  ['Hầu', 0.04],
  ['Từ', 0.04],
  ['Doãn', 0.03],
  ['Lục', 0.03],
  ['Ninh', 0.03],
];

export const MIDDLE_MALE: Weighted = [
  ['Văn', 40],
  ['Đức', 6],
  ['Minh', 6],
  ['Hữu', 4],
  ['Quốc', 4],
  ['Thanh', 4],
  ['Công', 3.5],
  ['Đình', 3.5],
  ['Xuân', 3],
  ['Ngọc', 3],
  ['Quang', 3],
  ['Trọng', 2.5],
  ['Mạnh', 2],
  ['Tiến', 2],
  ['Bá', 2],
  ['Duy', 2],
  ['Thế', 1.5],
  ['Gia', 1.5],
  ['Hoàng', 1.5],
  ['Anh', 1.5],
  ['Tuấn', 1.2],
  ['Chí', 1.2],
  ['Tấn', 1.2],
  ['Khắc', 1],
  ['Kim', 1],
  ['Hải', 1],
  ['Trung', 1],
  ['Việt', 1],
  ['Đăng', 1],
  ['Thành', 1],
  ['Nhật', 0.8],
  ['Phước', 0.8],
  ['Hồng', 0.8],
  ['Thái', 0.8],
  ['Bảo', 0.8],
  ['Huy', 0.8],
  ['Vĩnh', 0.6],
  ['Sỹ', 0.6],
  ['Như', 0.5],
  ['Phú', 0.5],
  ['Viết', 0.5],
  ['Trí', 0.5],
];

export const MIDDLE_FEMALE: Weighted = [
  ['Thị', 55],
  ['Ngọc', 5],
  ['Thu', 4],
  ['Thanh', 4],
  ['Kim', 3],
  ['Hồng', 3],
  ['Minh', 2],
  ['Phương', 2],
  ['Thúy', 2],
  ['Mỹ', 2],
  ['Bảo', 1.5],
  ['Bích', 1.5],
  ['Xuân', 1.5],
  ['Diệu', 1],
  ['Hoài', 1],
  ['Thảo', 1],
  ['Quỳnh', 1],
  ['Khánh', 1],
  ['Lan', 1],
  ['Tuyết', 1],
  ['Hải', 1],
  ['Mai', 1],
  ['Hoàng', 1],
  ['Cẩm', 1],
  ['Như', 1],
  ['Thùy', 1],
  ['Vân', 0.8],
  ['Huyền', 0.8],
  ['Kiều', 0.8],
  ['Ánh', 0.8],
  ['Hương', 0.8],
  ['Diễm', 0.6],
  ['Trúc', 0.6],
  ['Linh', 0.6],
  ['Tường', 0.5],
  ['Yến', 0.5],
  ['Hà', 0.5],
  ['Uyên', 0.5],
  ['Ngân', 0.5],
  ['Gia', 0.5],
  ['Tố', 0.5],
  ['Nguyệt', 0.4],
];

/** Male given names, most common first. */
const GIVEN_MALE_BY_RANK = `
Hùng Dũng Tuấn Đức Minh Hải Long Nam Sơn Thắng Cường Quân Huy Khoa Nguyên Lâm Hưng Phúc Trung Tú
Vinh Tài Thịnh Duy Khải Lộc Bảo Khang Kiên Định Toàn Tín Quý Nhân Nghĩa Hiếu Đạt Chiến Sang Thông
Phát Lợi Anh Bình Thành Tâm Tùng Phong Khánh Việt Hoàng Trí Thanh Hòa Quang Tiến Mạnh Tân Thái Hậu
Giang Đông Đăng Công Cảnh Chính Danh Dương Hiển Hiệp Hào Hà Hội Hợp Khôi Kiệt Lân Liêm Linh Luân
Lực Nhật Ninh Phú Phước Phương Quốc Quyết Sỹ Thiện Thuận Trọng Trường Vũ Vương Xuân An Bách Bằng
Biên Cát Châu Chương Cương Doanh Du Đại Đoàn Điệp Hiền Hoan Hồng Hữu Kha Khiêm Kỳ Lập Lượng Nghị
Ngọc Nhất Phi Quyền Sinh Tấn Thăng Thế Thiệu Thọ Thống Thức Tiệp Toản Triều Trình Tuân Tường Uy
Vĩnh Xương Ân Bắc Cẩn Chánh Chung Cửu Dinh Dụng Đàn Đảm Đào Điền Đồng Được Giao Hanh Hảo Hân Hiệu
Hinh Hoạt Học Huân Hướng Kế Khai Khiết Khương Lạc Lai Lãm Lễ Lịch Lĩnh Luận Lưu Mẫn Mậu Miên Mừng
Ngạn Nghiêm Nhàn Nhuận Niên Oai Pháp Phiên Phổ Phụng Quán Quảng Quế Sáng Sĩ Sửu Tạo Thạc Thạch
Thiêm Thìn Thoại Thuần Thụy Thư Thương Tình Tịnh Toại Tốt Trác Triết Triệu Trực Tuệ Tuyên Tuyến
Tư Tưởng Vạn Vĩ Vịnh Vọng Vượng Yên Bửu Diện Dự Đỉnh Độ Hạnh Hoán Huynh Lành Năng Nghiệp Ngữ
Nhẫn Nho Phẩm Phùng Quy Sâm Thao Thiết Thỏa Thúc Tiềm Tiếp Trị Trữ Tuyển Vệ Viên Vui Xuyên Cừ
Đạo Hoài Khánh Kính Lượm Mão Nhạc Quyến Thưởng Tụ Ước Ngôn Sử Thể Tuất Dần Thân Hợi Tý
`;

/** Female given names, most common first. */
const GIVEN_FEMALE_BY_RANK = `
Lan Hoa Hương Mai Hằng Trang Linh Ngọc Thảo Phương Hà Yến Nhung Dung Loan Oanh Vân Thủy Quyên Tuyết
Hạnh Huyền Nga Xuân Nhi Vy Trâm My Châu Diễm Ly Anh Hiền Thu Hồng Liên Nguyệt Thúy Quỳnh Uyên
Giang Hậu Ánh Vi Thư Chi Duyên Thơ Tâm Trinh Diệp Hải Tuyền Lệ Bích Cúc Đào Huệ Kim Ngân Phượng
Thanh Thắm Thùy Thoa Tiên Trà Hân Khánh Nhàn Hường Lụa Liễu Minh Mỹ Nhiên Sen Sương Tú An Ái Bình
Cầm Chinh Dịu Diệu Đan Điệp Gấm Hảo Hoài Khuê Kiều Lam Lành Lý Mơ Mận Nương Nhã Nhạn Nhu Nụ Quế
Tươi Trúc Út Xoan Xuyến Yên Ân Băng Bảo Hiên Hoan Hợp Huê Hy Lài Liên Lộc Luyến Mãi Mến Miên
Mộng Mùi Ngà Nghi Nhài Nhật Nhị Nhớ Phấn Phúc Phụng Sa Sim Thân Thêu Thiện Thịnh Thuận Thục Tím
Tình Toàn Trầm Triều Tường Vàng Vinh Xinh Ý Đoan Giao Hạ Hiếu Huyên Khanh Khuyên Lựu Mẫn Mị Ngoan
Nhường Phi Phước Quý Thái Thiên Thìn Thơm Tố Trân Tuệ Uyển Vẹn Vỹ Đài Đông Hòa Khiết Lương Mây
Mừng Như Ninh Sinh Tịnh Tư Tuyên Vương Bông Dạ Na Nguyên Thuần Thưởng Ly Quyến Vui Lê Hiệp Kha
Tâm Lạc Thoại Vân Cẩm Diễm Đẹp Hiền Huyền Lanh Loan Mai Nết Nhàn Phận Sáu Tám Sửu Tuất Hợi Dần
Chín Mười Bé Lợi Hên Hòe Liêm Lưu Lừng Nhâm Nở Ngát Thoảng Trà Thương Tươi Xuân Yêu Bưởi Cam Quýt
Chanh Lê Nhãn Vải Huệ Lài Mơ Mận Đào Lựu Sen Súng Quỳnh Trinh Trâm Tuyết Uyên Vy Hoa Ngọc Phượng
Nhụy Nữ Ngần Thi Tiền Châm Chúc Dậu Gái Hoàn Huế Lãnh Mầu Ngọ Nhựt Rạng Xiêm Thiềm Ưng Đạm Dao Sáng Tài Quy Tằm
`;

/** The names in a rank-ordered list, each once, with Zipf-like weights 1 / (rank + 4). */
function zipf(list: string): Weighted {
  const names = [...new Set(list.split(/\s+/).filter(Boolean))];
  return names.map((name, i) => [name, 1 / (i + 5)] as const);
}

export const GIVEN_MALE: Weighted = zipf(GIVEN_MALE_BY_RANK);
export const GIVEN_FEMALE: Weighted = zipf(GIVEN_FEMALE_BY_RANK);

/** Birth-order names, used as nicknames in the south (Hai is the eldest, Út the youngest). */
export const BIRTH_ORDER: Weighted = [
  ['Hai', 3],
  ['Ba', 4],
  ['Tư', 4],
  ['Năm', 4],
  ['Sáu', 3],
  ['Bảy', 3],
  ['Tám', 3],
  ['Chín', 2],
  ['Mười', 2],
  ['Út', 4],
  ['Cả', 1],
];

/** What a nickname adds to a name: a look, a scar, a manner, a trade. */
export const DESCRIPTORS: Weighted = [
  ['Sẹo', 4],
  ['Đen', 4],
  ['Lì', 3],
  ['Mập', 3],
  ['Cụt', 3],
  ['Râu', 3],
  ['Trắng', 2],
  ['Lùn', 2],
  ['Còi', 2],
  ['Rỗ', 2],
  ['Điên', 2],
  ['Khùng', 2],
  ['Móm', 1.5],
  ['Sứt', 1.5],
  ['Xăm', 2],
  ['Thẹo', 1.5],
  ['Chột', 1.5],
  ['Lác', 1],
  ['Cam', 1],
  ['Bạc', 1],
  ['Trọc', 1.5],
  ['Gù', 1],
  ['Què', 1],
  ['Béo', 1.5],
  ['Gầy', 1],
  ['Đầu Bò', 1],
  ['Mặt Rỗ', 0.5],
  ['Bắc Kỳ', 0.5],
  ['Xe Ôm', 0.5],
  ['Cá Độ', 0.5],
  ['Ba Gác', 0.5],
];

/** Nicknames of one word. */
export const ONE_WORD_NICKNAMES: Weighted = [
  ['Tí', 4],
  ['Tèo', 4],
  ['Bờm', 3],
  ['Cu', 3],
  ['Tũn', 2],
  ['Bin', 2],
  ['Ku', 2],
  ['Tồ', 1.5],
  ['Mèo', 1.5],
  ['Chuột', 1.5],
  ['Sún', 1],
  ['Cò', 1.5],
  ['Bé', 2],
  ['Mít', 1.5],
  ['Đực', 1],
  ['Cọp', 1],
  ['Hổ', 1],
  ['Tỏn', 1],
  ['Bống', 1],
  ['Cún', 1.5],
  ['Tẹt', 1],
  ['Nhím', 1],
  ['Sóc', 1],
  ['Bi', 1.5],
  ['Bo', 1],
];
