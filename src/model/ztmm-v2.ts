// Generated from the project's paraphrase of CISA ZTMM v2.0 (stage texts are our own words;
// function and pillar names are CISA's). Edit the data here; docs/ztmm.md is generated from it.
import type { ZtmmModel } from './ztmm-model.js';

export const ztmmModel: ZtmmModel = {
  "id": "cisa-ztmm",
  "version": "2.0",
  "title": "CISA Zero Trust Maturity Model",
  "url": "https://www.cisa.gov/sites/default/files/2023-04/zero_trust_maturity_model_v2_508.pdf",
  "quantifiers": {
    "some": 0.25,
    "most": 0.75,
    "all": 1
  },
  "minimumEvidence": 0.5,
  "stages": [
    {
      "id": "traditional",
      "ordinal": 0,
      "summary": "Hand-configured lifecycles and attributes; static policies; each pillar solved on its own; least privilege set once at provisioning; manual response; little correlation of logs and telemetry."
    },
    {
      "id": "initial",
      "ordinal": 1,
      "summary": "First automation of attributes, lifecycles, policy decisions and enforcement; first cross-pillar integrations; some least-privilege adjustment after provisioning; pooled visibility of internal systems."
    },
    {
      "id": "advanced",
      "ordinal": 2,
      "summary": "Automated lifecycle and policy controls where they apply, coordinated across pillars; central visibility and identity control; enforcement integrated across pillars; predefined responses; least privilege adjusted from risk and posture; moving to enterprise-wide awareness incl. hosted resources."
    },
    {
      "id": "optimal",
      "ordinal": 3,
      "summary": "Fully automated, just-in-time lifecycles with self-reporting assets and policies driven by observed triggers; dynamic just-enough access across dependencies; pillars interoperate under continuous monitoring; central, all-round situational awareness."
    }
  ],
  "crossCutting": [
    {
      "id": "visibility_analytics",
      "name": "Visibility and Analytics",
      "summary": "Observable artifacts of enterprise events and characteristics, analysed to inform policy, drive response and build a risk picture before incidents."
    },
    {
      "id": "automation_orchestration",
      "name": "Automation and Orchestration",
      "summary": "Tooling and workflows that run security responses automatically across products, while keeping control over how they are developed."
    },
    {
      "id": "governance",
      "name": "Governance",
      "summary": "Setting security policy and process and making it stick, inside each pillar and between them, to manage risk."
    }
  ],
  "pillars": [
    {
      "id": "identity",
      "name": "Identity",
      "summary": "The attribute set that pins down one user or non-person entity (service account, workload).",
      "rows": [
        {
          "id": "identity.authentication",
          "name": "Authentication",
          "crossCutting": false,
          "stages": {
            "traditional": "Passwords or MFA checked once; access then stays static.",
            "initial": "MFA for identities (a password may be one factor); some context such as location or activity is checked.",
            "advanced": "Phishing-resistant MFA being rolled out to all identities; first passwordless FIDO2/PIV use.",
            "optimal": "Identity re-validated continuously with phishing-resistant MFA, not only at sign-in."
          },
          "evidence": {
            "level": "strong",
            "sources": [
              "okta",
              "entra",
              "aws-iam"
            ],
            "missingInputs": [
              "sign-in logs proving methods actually used",
              "IdP session telemetry"
            ]
          }
        },
        {
          "id": "identity.identity_stores",
          "name": "Identity Stores",
          "crossCutting": false,
          "stages": {
            "traditional": "Only self-run on-premises identity stores.",
            "initial": "Mix of self-run and hosted stores, loosely joined (e.g., SSO only).",
            "advanced": "Some self-run and hosted stores securely consolidated and integrated.",
            "optimal": "Stores securely joined up across every partner and environment."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "okta",
              "entra",
              "aws-iam",
              "k8s"
            ],
            "missingInputs": [
              "HR system / directory topology",
              "partner federation inventory"
            ]
          }
        },
        {
          "id": "identity.risk_assessments",
          "name": "Risk Assessments",
          "crossCutting": false,
          "stages": {
            "traditional": "Little effort to judge whether an identity is compromised.",
            "initial": "Identity risk judged by manual methods and static rules, mainly for visibility.",
            "advanced": "Partly automated analysis with changing rules; risk now feeds access decisions and response.",
            "optimal": "Real-time, continuous risk analysis with dynamic rules gives ongoing protection."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "okta",
              "entra"
            ],
            "missingInputs": [
              "risk detections / SIEM cases",
              "UEBA output"
            ]
          }
        },
        {
          "id": "identity.access_management",
          "name": "Access Management",
          "crossCutting": false,
          "stages": {
            "traditional": "Standing access, privileged and regular, with periodic reviews.",
            "initial": "Access (incl. privileged) expires and is reviewed automatically.",
            "advanced": "Access granted by need and per session, scoped to actions and resources.",
            "optimal": "Automated just-in-time and just-enough access per action and per resource."
          },
          "evidence": {
            "level": "strong",
            "sources": [
              "entra",
              "okta",
              "aws-iam",
              "k8s"
            ],
            "missingInputs": [
              "Okta Identity Governance access-request data",
              "PAM vault data"
            ]
          }
        },
        {
          "id": "identity.visibility_analytics",
          "name": "Visibility and Analytics Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Activity logs (esp. privileged) collected; routine manual review.",
            "initial": "Manual plus some automated analysis; little correlation across log types.",
            "advanced": "Automated analysis over some log types; collection gaps being closed.",
            "optimal": "Enterprise-wide automated analysis of all user activity logs incl. behaviour analytics."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "okta",
              "aws-iam"
            ],
            "missingInputs": [
              "Entra diagnostic settings (Azure Resource Manager)",
              "CloudTrail config",
              "SIEM rule inventory"
            ]
          }
        },
        {
          "id": "identity.automation_orchestration",
          "name": "Automation and Orchestration Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Joiners/movers/leavers handled by hand for self-managed identities, with regular review.",
            "initial": "Non-privileged users and self-managed entities automated; privileged and external identities still manual.",
            "advanced": "All identities automated across environments, except privileged users (still manual).",
            "optimal": "All identities automated and fully integrated, driven by behaviour, enrolment and deployment needs."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "okta",
              "entra",
              "aws-iam",
              "k8s"
            ],
            "missingInputs": [
              "HRIS feed",
              "lifecycle workflow definitions"
            ]
          }
        },
        {
          "id": "identity.governance",
          "name": "Governance Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Identity policies enforced through static mechanisms and manual review.",
            "initial": "Enterprise-wide identity policies defined and starting to be enforced, little automation.",
            "advanced": "Enterprise-wide automated enforcement; policies revised periodically.",
            "optimal": "Fully automated, continuously enforced, dynamically updated policies for all users, entities and systems."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "okta",
              "entra"
            ],
            "missingInputs": [
              "written policy set and change history"
            ]
          }
        }
      ]
    },
    {
      "id": "devices",
      "name": "Devices",
      "summary": "Anything with hardware/software/firmware that attaches to a network - servers, endpoints, phones, IoT, network gear, and cloud/virtual assets.",
      "rows": [
        {
          "id": "devices.policy_enforcement",
          "name": "Policy Enforcement & Compliance Monitoring",
          "crossCutting": false,
          "stages": {
            "traditional": "Little or no insight into device compliance; few ways to enforce policy or manage software, configuration, vulnerabilities.",
            "initial": "Devices self-report characteristics; weak enforcement; basic process for approving software and pushing updates/config.",
            "advanced": "Admin-verified device insight at first access; compliance enforced on the majority of devices and virtual assets; management, patching and vulnerability finding automated.",
            "optimal": "Insight re-verified and compliance enforced for the whole device life; management of devices, software, configuration and vulnerabilities joined up in every environment incl. virtual assets."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s",
              "entra",
              "okta"
            ],
            "missingInputs": [
              "MDM/UEM export (Intune managedDevices",
              "Jamf)",
              "vulnerability scanner results",
              "SSM patch compliance"
            ]
          }
        },
        {
          "id": "devices.asset_supply_chain",
          "name": "Asset & Supply Chain Risk Management",
          "crossCutting": false,
          "stages": {
            "traditional": "No enterprise or cross-vendor asset tracking; supply chain handled ad hoc.",
            "initial": "Every physical asset and part of the virtual estate tracked; supply-chain policies and baselines set from a framework such as NIST SCRM.",
            "advanced": "Starting an automated, multi-vendor picture of the whole physical and virtual estate; purchases verified, third-party assessments used.",
            "optimal": "Near-real-time visibility of every asset whichever vendor or provider; supply-chain risk management automated; operations survive supplier failure."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "CMDB / cloud asset inventory",
              "SBOMs",
              "vendor risk register"
            ]
          }
        },
        {
          "id": "devices.resource_access",
          "name": "Resource Access",
          "crossCutting": false,
          "stages": {
            "traditional": "No device visibility required to reach resources.",
            "initial": "Some devices must report characteristics, which are used to approve access.",
            "advanced": "Initial access decisions use verified device insight.",
            "optimal": "Access decisions use real-time device risk analytics."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "entra",
              "okta"
            ],
            "missingInputs": [
              "MDM compliance state per device",
              "EDR risk signal integration"
            ]
          }
        },
        {
          "id": "devices.threat_protection",
          "name": "Device Threat Protection",
          "crossCutting": false,
          "stages": {
            "traditional": "Threat protection deployed by hand to some devices.",
            "initial": "Some automated deployment/update of protections to devices and virtual assets; weak link to compliance monitoring.",
            "advanced": "Protections consolidated into central tools, mostly wired into policy enforcement and compliance checks.",
            "optimal": "Central, advanced protection on every device and virtual asset, unified with enforcement and compliance checks."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "EDR/XDR console export (coverage",
              "policy",
              "health)"
            ]
          }
        },
        {
          "id": "devices.visibility_analytics",
          "name": "Visibility and Analytics Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Physically labelled inventory, limited software monitoring, periodic manual review.",
            "initial": "Digital identifiers with a manual inventory; endpoint monitoring where available; some automated anomaly scanning.",
            "advanced": "Inventory gathered automatically (with endpoint monitoring on ordinary user devices) and unknown devices spotted by anomaly detection.",
            "optimal": "Automated status of every connected device and virtual asset, correlated with identities; anomalies inform access; provisioning patterns watched."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "MDM/EDR telemetry",
              "cloud asset inventory with change history"
            ]
          }
        },
        {
          "id": "devices.automation_orchestration",
          "name": "Automation and Orchestration Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Devices provisioned, configured and registered by hand.",
            "initial": "Scripts and tooling start to automate device setup, registration and retirement.",
            "advanced": "Non-compliant devices detected automatically; isolation still manual.",
            "optimal": "Whole device lifecycle automated - enrolment, monitoring, isolation, remediation, retirement."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "MDM enrolment policy",
              "node-group / autoscaler config"
            ]
          }
        },
        {
          "id": "devices.governance",
          "name": "Governance Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Some lifecycle policies for traditional devices; maintenance by hand.",
            "initial": "Policies for procurement, non-traditional devices, virtual assets and routine scanning are set and enforced.",
            "advanced": "Enterprise-wide lifecycle policy covering enumeration and ownership, partly enforced automatically.",
            "optimal": "Lifecycle policies automated for every connected device and virtual asset."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "device lifecycle policy documents",
              "MDM compliance policy export"
            ]
          }
        }
      ]
    },
    {
      "id": "networks",
      "name": "Networks",
      "summary": "All communication channels (internal, wireless, Internet, cellular, application-level) used to move messages.",
      "rows": [
        {
          "id": "networks.segmentation",
          "name": "Network Segmentation",
          "crossCutting": false,
          "stages": {
            "traditional": "Large perimeters/macro-segments, little restriction inside; bulk VPN-style interconnects.",
            "initial": "Critical workloads isolated; connectivity cut to least function; moving to service-specific links.",
            "advanced": "Endpoint and app-profile isolation across more of the estate, with ingress/egress micro-perimeters.",
            "optimal": "Micro-perimeters everywhere and fine-grained segmentation per application profile; connectivity opened just in time and only as far as needed."
          },
          "evidence": {
            "level": "strong",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "VPC security groups / NACLs / firewall rules"
            ]
          }
        },
        {
          "id": "networks.traffic_management",
          "name": "Network Traffic Management",
          "crossCutting": false,
          "stages": {
            "traditional": "Static rules set by hand at provisioning; little monitoring; manual audits for critical apps.",
            "initial": "Application traffic profiles defined and apps being mapped to them; static rules for all apps; periodic manual audits.",
            "advanced": "Dynamic rules adjusted periodically from automated, risk-aware profile assessments.",
            "optimal": "Dynamic rules evolve continuously; apps reprioritised by criticality and risk."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "service-mesh traffic config",
              "QoS/APM data"
            ]
          }
        },
        {
          "id": "networks.traffic_encryption",
          "name": "Traffic Encryption",
          "crossCutting": false,
          "stages": {
            "traditional": "Little traffic encrypted; keys handled ad hoc.",
            "initial": "All traffic to internal apps being encrypted, external traffic preferably encrypted; key-management policy formalised; server keys protected.",
            "advanced": "Every relevant protocol, inside and outside, encrypted; key and certificate issuance/rotation managed; crypto-agility work starts.",
            "optimal": "Least-privilege key management enterprise-wide; crypto-agility practices applied broadly."
          },
          "evidence": {
            "level": "strong",
            "sources": [
              "k8s",
              "aws-iam"
            ],
            "missingInputs": [
              "ELB/ALB listener config",
              "ACM certificate inventory",
              "Cilium agent config if not collected"
            ]
          }
        },
        {
          "id": "networks.resilience",
          "name": "Network Resilience",
          "crossCutting": false,
          "stages": {
            "traditional": "Availability handled app by app; little resilience for non-critical workloads.",
            "initial": "Availability managed for more apps; resilience extended to non-critical workloads.",
            "advanced": "Availability and resilience managed dynamically for most apps.",
            "optimal": "Holistic awareness adapts to demand changes for all workloads with proportionate resilience."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "multi-AZ load balancer / transit config",
              "DR test records"
            ]
          }
        },
        {
          "id": "networks.visibility_analytics",
          "name": "Visibility and Analytics Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Boundary-focused monitoring with minimal analysis.",
            "initial": "Indicator-based monitoring per environment; first correlation across traffic types and threat hunting.",
            "advanced": "Anomaly-based detection across all environments; multi-source correlation; automated hunting.",
            "optimal": "Visibility into all communications; correlation automated across every detection source."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "VPC flow logs config",
              "Hubble/mesh telemetry config",
              "IDS/NDR coverage"
            ]
          }
        },
        {
          "id": "networks.automation_orchestration",
          "name": "Automation and Orchestration Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Network configuration and lifecycle managed by hand.",
            "initial": "Automation for some networks; every resource gets a defined lifetime from policy and telemetry.",
            "advanced": "CI/CD-style automated change control for every network, reacting to perceived risk.",
            "optimal": "Networks defined as infrastructure-as-code with automated creation and expiry."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "IaC repositories / Terraform state",
              "change records"
            ]
          }
        },
        {
          "id": "networks.governance",
          "name": "Governance Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Static, perimeter-centric network policies.",
            "initial": "Policies tailored per segment/resource begin, inheriting enterprise-wide rules.",
            "advanced": "Tailored policies implemented with automation; shift away from perimeter protection.",
            "optimal": "Enterprise-wide policy that allows local tailoring, changes dynamically and secures outside connections per app/user workflow."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "cloud firewall policy hierarchy"
            ]
          }
        }
      ]
    },
    {
      "id": "applications",
      "name": "Applications and Workloads",
      "summary": "Systems, programs and services wherever they run - data centre, mobile, cloud (incl. containers and their identities).",
      "rows": [
        {
          "id": "applications.application_access",
          "name": "Application Access",
          "crossCutting": false,
          "stages": {
            "traditional": "Authorization done locally in each app from static attributes.",
            "initial": "Per-request authorization using context (identity, device compliance, etc.) with expiry begins.",
            "advanced": "Automated access decisions with richer context and enforced expiry under least privilege.",
            "optimal": "Continuous authorization using real-time risk analytics and behaviour/usage."
          },
          "evidence": {
            "level": "strong",
            "sources": [
              "okta",
              "entra",
              "k8s",
              "aws-iam"
            ],
            "missingInputs": [
              "app-internal authorization models"
            ]
          }
        },
        {
          "id": "applications.threat_protections",
          "name": "Application Threat Protections",
          "crossCutting": false,
          "stages": {
            "traditional": "Generic protections for known threats, barely tied to app workflows.",
            "initial": "Protections built into mission-critical app workflows against known and some app-specific threats.",
            "advanced": "Protections across every app workflow, incl. a share of app-specific and targeted attacks.",
            "optimal": "Advanced, content-aware, real-time protections in all app workflows against tailored attacks."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "WAF rule sets and logs",
              "RASP",
              "runtime detections"
            ]
          }
        },
        {
          "id": "applications.accessible_applications",
          "name": "Accessible Applications",
          "crossCutting": false,
          "stages": {
            "traditional": "Some critical apps reachable only over private networks or VPN.",
            "initial": "Some critical apps offered over the public internet to authorised users via brokered connections.",
            "advanced": "Most critical apps offered over the public internet to authorised users.",
            "optimal": "Every suitable app reachable from the open internet by authorised users and devices."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s",
              "okta",
              "entra"
            ],
            "missingInputs": [
              "app catalogue with criticality",
              "VPN usage data"
            ]
          }
        },
        {
          "id": "applications.secure_dev_deploy",
          "name": "Secure Application Development and Deployment Workflow",
          "crossCutting": false,
          "stages": {
            "traditional": "Ad hoc dev/test/prod environments with fragile deployment.",
            "initial": "Provided dev/test/prod infrastructure with formal CI/CD deployment and least-privilege access controls.",
            "advanced": "Separate, coordinated dev, security and ops teams; developers no longer deploy to production directly.",
            "optimal": "Immutable workloads changed only by redeployment; admin access to deployment environments replaced by automation."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s",
              "aws-iam"
            ],
            "missingInputs": [
              "CI/CD pipeline definitions",
              "branch protection",
              "deployment audit trail"
            ]
          }
        },
        {
          "id": "applications.security_testing",
          "name": "Application Security Testing",
          "crossCutting": false,
          "stages": {
            "traditional": "Mostly manual testing before deployment.",
            "initial": "Static and dynamic testing plus expert review before deployment.",
            "advanced": "Testing built into the development and deployment process, with periodic dynamic tests.",
            "optimal": "Testing throughout the lifecycle across the enterprise, with routine automated testing of deployed apps."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "SAST/DAST/SCA results",
              "pipeline gates",
              "pentest records"
            ]
          }
        },
        {
          "id": "applications.visibility_analytics",
          "name": "Visibility and Analytics Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Some performance/security monitoring of critical apps, little aggregation.",
            "initial": "Automated health/performance and security monitoring begins, with better log aggregation.",
            "advanced": "Automated monitoring of most apps with heuristics for trends; visibility gaps closed over time.",
            "optimal": "Continuous, dynamic monitoring of every app."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "APM / app log pipeline inventory"
            ]
          }
        },
        {
          "id": "applications.automation_orchestration",
          "name": "Automation and Orchestration Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Hosting location and access fixed by hand at provisioning.",
            "initial": "App configuration (incl. location and access) changed periodically for security and performance.",
            "advanced": "App configuration automated in response to operational and environmental change.",
            "optimal": "App configuration automated to optimise security and performance continuously."
          },
          "evidence": {
            "level": "proxy",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "deployment system config"
            ]
          }
        },
        {
          "id": "applications.governance",
          "name": "Governance Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Manual enforcement for app access, development, deployment, software assets, testing, patching and dependencies.",
            "initial": "Automated enforcement starts for development, deployment, software assets, testing, patching and dependency tracking (e.g., SBOM).",
            "advanced": "Layered, app-specific policies across the whole build-and-deploy lifecycle, automated where it fits.",
            "optimal": "Build and deploy policies fully automated and updated dynamically via the pipeline."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "SBOM inventory",
              "pipeline policy-as-code"
            ]
          }
        }
      ]
    },
    {
      "id": "data",
      "name": "Data",
      "summary": "All structured or unstructured data, and its metadata, wherever it sits or once sat - systems, devices, networks, apps, databases, infrastructure, backups.",
      "rows": [
        {
          "id": "data.inventory",
          "name": "Data Inventory Management",
          "crossCutting": false,
          "stages": {
            "traditional": "Some data (e.g., mission-critical) inventoried by hand.",
            "initial": "Automated inventory starts on premises and in cloud, covering most data; first data-loss protections.",
            "advanced": "Automated inventory and tracking of all applicable data; DLP based on static attributes or labels.",
            "optimal": "Inventory kept continuously; strong DLP that stops likely exfiltration as it happens."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "data catalogue / DSPM (e.g.",
              "Macie",
              "Purview)",
              "DLP configuration"
            ]
          }
        },
        {
          "id": "data.categorization",
          "name": "Data Categorization",
          "crossCutting": false,
          "stages": {
            "traditional": "Limited, ad hoc categorisation.",
            "initial": "Categorisation strategy with defined labels; manual enforcement.",
            "advanced": "Part of labelling automated, applied consistently by tier in simple structured formats, with periodic review.",
            "optimal": "Enterprise-wide automated labelling with granular formats covering all data types."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s"
            ],
            "missingInputs": [
              "sensitivity labels from Purview/Macie",
              "data-store tags"
            ]
          }
        },
        {
          "id": "data.availability",
          "name": "Data Availability",
          "crossCutting": false,
          "stages": {
            "traditional": "Mostly on-premises stores with some off-site backups.",
            "initial": "Some data in redundant, highly available stores; off-site backups for on-premises data.",
            "advanced": "Mostly redundant, highly available stores; historical data reachable.",
            "optimal": "Availability (incl. historical data) matched dynamically to what users and entities need."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "backup policies (AWS Backup",
              "Velero schedules)",
              "replication config",
              "restore tests"
            ]
          }
        },
        {
          "id": "data.access",
          "name": "Data Access",
          "crossCutting": false,
          "stages": {
            "traditional": "Static access controls over read/write/copy/share rights.",
            "initial": "Automated access controls with least-privilege elements begin enterprise-wide.",
            "advanced": "Automated controls using attributes (identity, device risk, app, data category), time-limited where it applies.",
            "optimal": "Data access granted just in time and just enough, automatically, with permissions reviewed continuously."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s",
              "aws-iam"
            ],
            "missingInputs": [
              "resource policies (S3 bucket policies",
              "KMS key policies)",
              "database grants"
            ]
          }
        },
        {
          "id": "data.encryption",
          "name": "Data Encryption",
          "crossCutting": false,
          "stages": {
            "traditional": "Little data encrypted at rest or in transit; keys handled ad hoc.",
            "initial": "All data in transit encrypted, at rest where feasible; key-management policy being formalised.",
            "advanced": "Data at rest and in transit encrypted as far as possible; crypto agility begins; keys protected (no hard-coded secrets, regular rotation).",
            "optimal": "Encryption extends to data being processed where it makes sense; least-privilege key management; current standards and crypto agility."
          },
          "evidence": {
            "level": "partial",
            "sources": [
              "k8s",
              "aws-iam"
            ],
            "missingInputs": [
              "KMS / EBS / S3 / RDS / EKS envelope-encryption config"
            ]
          }
        },
        {
          "id": "data.visibility_analytics",
          "name": "Visibility and Analytics Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Limited visibility of data location, access and use; manual analysis.",
            "initial": "Visibility from inventory, categorisation, encryption and access attempts; some automated correlation.",
            "advanced": "Broader enterprise-wide visibility with automated correlation; predictive analytics start.",
            "optimal": "Whole-lifecycle data visibility, strong and predictive analytics, posture assessed continuously."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "data access logs",
              "DSPM findings"
            ]
          }
        },
        {
          "id": "data.automation_orchestration",
          "name": "Automation and Orchestration Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Data lifecycle and security policies applied manually or ad hoc.",
            "initial": "Some automated processes apply data lifecycle and security policies.",
            "advanced": "Mostly automated for most data, in a consistent tiered way.",
            "optimal": "Automated as far as possible for all data."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "lifecycle rules (retention",
              "backup",
              "sanitisation) config"
            ]
          }
        },
        {
          "id": "data.governance",
          "name": "Governance Capability",
          "crossCutting": true,
          "stages": {
            "traditional": "Ad hoc data governance implemented by hand.",
            "initial": "High-level governance policies; mostly manual, fragmented implementation.",
            "advanced": "Lifecycle enforcement integrated across the enterprise begins; definitions more unified.",
            "optimal": "Unified lifecycle policies, dynamically enforced enterprise-wide."
          },
          "evidence": {
            "level": "none",
            "sources": [],
            "missingInputs": [
              "data governance policy set"
            ]
          }
        }
      ]
    }
  ]
};
