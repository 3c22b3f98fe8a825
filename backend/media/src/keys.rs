//! The media URL scheme: where a photo variant is stored (its blob key) and where it is served
//! (`/media/{key}`). Photos are content-addressed, so the same picture is stored once and its
//! URLs never change (they are served as immutable).

use crate::photo::fit;

/// Path under which `GET /media/{key}` serves stored blobs.
pub const MEDIA_ROUTE: &str = "/media";

/// Folder of every variant of the photo with this SHA-256 (hex): `photos/ab/abcdef…/`.
pub fn photo_prefix(hash: &str) -> String {
    format!("photos/{}/{hash}/", &hash[..2.min(hash.len())])
}

/// Blob key of one variant: `photos/ab/abcdef…/800.webp`.
pub fn photo_key(hash: &str, size: u32, ext: &str) -> String {
    format!("{}{size}.{ext}", photo_prefix(hash))
}

/// The URL a stored blob is served at.
pub fn media_url(key: &str) -> String {
    format!("{MEDIA_ROUTE}/{key}")
}

/// One stored variant of a photo, with its URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantUrls {
    /// The long side this variant was made for (1600, 800, 320).
    pub size: u32,
    pub width: u32,
    pub height: u32,
    pub webp_url: String,
    pub jpeg_url: String,
}

/// The variants a stored photo has, largest first: `sizes` is the row's list of long sides
/// ("1600,800,320"); width and height are those of the original.
pub fn variant_urls(hash: &str, sizes: &str, width: i64, height: i64) -> Vec<VariantUrls> {
    let (w, h) = (u32::try_from(width).unwrap_or(0), u32::try_from(height).unwrap_or(0));
    sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<u32>().ok())
        .map(|size| {
            let (width, height) = fit(w, h, size);
            VariantUrls {
                size,
                width,
                height,
                webp_url: media_url(&photo_key(hash, size, "webp")),
                jpeg_url: media_url(&photo_key(hash, size, "jpg")),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_keys_live_under_the_photos_hash_folder() {
        assert_eq!(photo_key("abcdef", 800, "webp"), "photos/ab/abcdef/800.webp");
        assert!(photo_key("abcdef", 320, "jpg").starts_with(&photo_prefix("abcdef")));
        assert_eq!(media_url("photos/ab/abcdef/800.webp"), "/media/photos/ab/abcdef/800.webp");
    }

    #[test]
    fn variant_urls_follow_the_stored_sizes_and_skip_garbage() {
        let v = variant_urls("abcdef", "1600,800,x,320", 4000, 3000);
        let sizes: Vec<u32> = v.iter().map(|x| x.size).collect();
        assert_eq!(sizes, vec![1600, 800, 320]);
        assert_eq!(v[1].jpeg_url, "/media/photos/ab/abcdef/800.jpg");
        assert_eq!((v[1].width, v[1].height), fit(4000, 3000, 800));
    }
}
