//! A minimal text-only PDF 1.4 writer (Helvetica, WinAnsiEncoding, A4): enough for a letter
//! or a report without a heavy dependency. Lines are wrapped at ~90 characters and paginated.

/// A4 in points.
const WIDTH: i32 = 595;
const HEIGHT: i32 = 842;
const MARGIN: i32 = 56;
const LEADING: i32 = 14;
const WRAP: usize = 90;

fn wrap(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split(' ') {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

/// A PDF string literal body in WinAnsi (Latin-1 subset; other characters become `?`).
fn escape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        let b = match c {
            '’' | '‘' => b'\'',
            '“' | '”' => b'"',
            '–' | '—' => b'-',
            c if (c as u32) < 256 => c as u32 as u8,
            _ => b'?',
        };
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Letterhead: bold, centred, 12 pt; a rule is drawn under the last one.
    Head,
    Bold,
    Normal,
}

/// Renders `text` (the first line in bold) as a PDF document.
pub fn text_pdf(text: &str) -> Vec<u8> {
    letter_pdf(&[], text)
}

/// Renders a letter: the `letterhead` lines bold and centred with a rule under them on the
/// first page, then `body` (its first line in bold).
pub fn letter_pdf(letterhead: &[&str], body: &str) -> Vec<u8> {
    let mut lines: Vec<(String, Style)> =
        letterhead.iter().map(|l| (l.to_string(), Style::Head)).collect();
    if !letterhead.is_empty() {
        lines.push((String::new(), Style::Normal));
    }
    for (i, l) in wrap(body).into_iter().enumerate() {
        lines.push((l, if i == 0 { Style::Bold } else { Style::Normal }));
    }
    render(&lines)
}

fn render(lines: &[(String, Style)]) -> Vec<u8> {
    let per_page = ((HEIGHT - 2 * MARGIN) / LEADING) as usize;
    let pages: Vec<&[(String, Style)]> =
        if lines.is_empty() { vec![&[][..]] } else { lines.chunks(per_page.max(1)).collect() };
    // Objects: 1 catalog, 2 pages, 3 font, 4 bold font, then (page, content) per page.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..pages.len()).map(|i| format!("{} 0 R", 5 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len())
            .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (pi, page) in pages.iter().enumerate() {
        let mut content: Vec<u8> = Vec::new();
        for (li, (line, style)) in page.iter().enumerate() {
            let y = HEIGHT - MARGIN - LEADING * li as i32;
            let (font, size, x) = match style {
                // Helvetica-Bold averages about 0.6 em per character.
                Style::Head => {
                    let w = (line.chars().count() as f64 * 12.0 * 0.6) as i32;
                    ("/F2", 12, ((WIDTH - w) / 2).max(MARGIN))
                }
                Style::Bold => ("/F2", 12, MARGIN),
                Style::Normal => ("/F1", 10, MARGIN),
            };
            content.extend_from_slice(format!("BT {font} {size} Tf {x} {y} Td (").as_bytes());
            content.extend(escape(line));
            content.extend_from_slice(b") Tj ET\n");
            let next_is_head = page.get(li + 1).is_some_and(|(_, s)| *s == Style::Head);
            if *style == Style::Head && !next_is_head {
                let ry = y - 6;
                content.extend_from_slice(
                    format!("1.5 w {MARGIN} {ry} m {} {ry} l S\n", WIDTH - MARGIN).as_bytes(),
                );
            }
        }
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>", 6 + 2 * pi).into_bytes());
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_has_a_header_an_xref_that_points_at_objects_and_the_text() {
        let pdf = text_pdf("SURAT TEGURAN\nGerai (SM-001) \\ Serang");
        let find = |needle: &[u8], from: usize| {
            pdf[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
        };
        assert!(pdf.starts_with(b"%PDF-1.4"));
        assert!(pdf.ends_with(b"%%EOF\n"));
        assert!(find(b"(Gerai \\(SM-001\\) \\\\ Serang) Tj", 0).is_some());
        let sx = find(b"startxref\n", 0).unwrap() + 10;
        let start: usize =
            String::from_utf8_lossy(&pdf[sx..]).lines().next().unwrap().parse().unwrap();
        assert!(pdf[start..].starts_with(b"xref"));
        let table = String::from_utf8_lossy(&pdf[start..]).to_string();
        let first_obj: usize = table.lines().nth(3).unwrap()[..10].parse().unwrap();
        assert!(pdf[first_obj..].starts_with(b"1 0 obj"));
    }

    #[test]
    fn long_text_spans_pages() {
        let text = (0..120).map(|i| format!("baris {i}")).collect::<Vec<_>>().join("\n");
        let s = String::from_utf8_lossy(&text_pdf(&text)).to_string();
        assert!(s.contains("/Count 3"));
    }

    #[test]
    fn a_letter_has_its_letterhead_and_a_rule_above_the_body() {
        let pdf = letter_pdf(&["PEMERINTAH KOTA SERANG"], "SURAT TEGURAN\nIsi");
        let s = String::from_utf8_lossy(&pdf).to_string();
        let head = s.find("(PEMERINTAH KOTA SERANG) Tj").unwrap();
        let rule = s.find(" l S").unwrap();
        let title = s.find("/F2 12 Tf 56 ").unwrap();
        assert!(head < rule && rule < title, "{s}");
        assert!(s.contains("(SURAT TEGURAN) Tj"));
    }
}
