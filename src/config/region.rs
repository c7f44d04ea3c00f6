//! Default DDM endpoints per Huawei Cloud region (API.md section 4).

/// Regions where DDM is offered under `myhuaweicloud.com`.
const KNOWN_REGIONS: &[&str] = &[
    "cn-north-1",
    "cn-north-4",
    "cn-north-9",
    "cn-east-2",
    "cn-east-3",
    "cn-south-1",
    "cn-south-2",
    "cn-southwest-2",
    "ap-southeast-1",
    "ap-southeast-3",
    "la-north-2",
    "la-south-2",
    "sa-brazil-1",
    "my-kualalumpur-1",
    "ru-moscow-1",
    "ae-ad-1",
];

/// The European region lives under its own top-level domain.
const EU_REGION: &str = "eu-west-101";

/// The derived endpoint of a region, and whether the region is one we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedEndpoint {
    pub url: String,
    pub known_region: bool,
}

/// The DDM endpoint for `region`; unknown regions still get the usual pattern.
pub fn ddm_endpoint(region: &str) -> DerivedEndpoint {
    if region == EU_REGION {
        return DerivedEndpoint {
            url: format!("https://ddm.{region}.myhuaweicloud.eu"),
            known_region: true,
        };
    }
    DerivedEndpoint {
        url: format!("https://ddm.{region}.myhuaweicloud.com"),
        known_region: KNOWN_REGIONS.contains(&region),
    }
}

/// The IAM endpoint for `region`, under the same domain as its DDM one.
pub fn iam_endpoint(region: &str) -> String {
    let domain = if region == EU_REGION {
        "myhuaweicloud.eu"
    } else {
        "myhuaweicloud.com"
    };
    format!("https://iam.{region}.{domain}")
}

/// The SDKs' endpoint override variable for a region's DDM service, like
/// `HUAWEICLOUD_SDK_REGION_DDM_CN_NORTH_4`.
pub fn sdk_override_variable(region: &str) -> String {
    format!(
        "HUAWEICLOUD_SDK_REGION_DDM_{}",
        region.to_ascii_uppercase().replace('-', "_")
    )
}

/// Region names are lower-case words joined by dashes, like `cn-north-4`.
pub fn is_valid_region_name(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_region_gets_the_com_endpoint() {
        for region in KNOWN_REGIONS {
            let derived = ddm_endpoint(region);
            assert_eq!(
                derived.url,
                format!("https://ddm.{region}.myhuaweicloud.com")
            );
            assert!(derived.known_region, "{region}");
        }
        assert_eq!(KNOWN_REGIONS.len(), 16);
    }

    #[test]
    fn europe_uses_the_eu_domain() {
        let derived = ddm_endpoint("eu-west-101");
        assert_eq!(derived.url, "https://ddm.eu-west-101.myhuaweicloud.eu");
        assert!(derived.known_region);
    }

    #[test]
    fn unknown_region_gets_the_pattern_but_is_flagged() {
        let derived = ddm_endpoint("xx-mars-1");
        assert_eq!(derived.url, "https://ddm.xx-mars-1.myhuaweicloud.com");
        assert!(!derived.known_region);
    }

    #[test]
    fn iam_endpoints_follow_the_region() {
        assert_eq!(
            iam_endpoint("cn-north-4"),
            "https://iam.cn-north-4.myhuaweicloud.com"
        );
        assert_eq!(
            iam_endpoint("eu-west-101"),
            "https://iam.eu-west-101.myhuaweicloud.eu"
        );
        assert_eq!(
            sdk_override_variable("cn-north-4"),
            "HUAWEICLOUD_SDK_REGION_DDM_CN_NORTH_4"
        );
    }

    #[test]
    fn region_names_are_checked() {
        assert!(is_valid_region_name("cn-north-4"));
        for bad in [
            "",
            "CN-NORTH-4",
            "cn north",
            "cn/north",
            "-cn",
            "cn-",
            "cn.north",
        ] {
            assert!(!is_valid_region_name(bad), "{bad:?}");
        }
    }
}
