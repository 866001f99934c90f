/**
 * The demo consultation's texts: groups, questions, positions, comments and how each group tends to
 * vote. Invented content for a demonstration; written to be believable and respectful. prisma/seed.ts
 * turns it into data through the domain services.
 */

/** The five stakeholder groups, in display order. `id` is only used inside this file and the seed. */
export const GROUPS = [
  {
    id: "peers",
    name: "Peers who use drugs",
    description: "People with current or past experience of using drugs, including peer workers and volunteers.",
    size: 12,
  },
  {
    id: "sexWorkers",
    name: "Sex workers",
    description: "People who sell or have sold sexual services, including sex worker peer educators.",
    size: 8,
  },
  {
    id: "outreach",
    name: "Outreach professionals",
    description: "Staff of harm reduction, street work and sexual health services.",
    size: 8,
  },
  {
    id: "police",
    name: "Police",
    description: "Police officers and staff, including neighbourhood and community policing.",
    size: 6,
  },
  {
    id: "policy",
    name: "Policymakers",
    description: "Civil servants, elected officials and funders working on health, drug or social policy.",
    size: 6,
  },
] as const;

export type GroupId = (typeof GROUPS)[number]["id"];

export const ORGANISATION_NAME = "European Network of People Who Use Drugs (demo)";

export const CONSULTATION = {
  slug: "peer-work",
  title: "Strengthening and sustaining peer work",
  description: `_This is a demonstration consultation. The organisation, the people and everything they wrote are invented._

## Why peer work matters

Peer workers are people with lived experience of drug use or sex work who are employed or volunteer in
harm reduction, outreach and health services. They reach people that other services do not, they hand
out naloxone and sterile equipment, they explain drug checking results, they accompany people to clinics
and they change how services treat the people they serve.

Yet peer work is often unpaid or underpaid, funded project by project, and rarely recognised as a
profession. Many peer workers lose their role when a grant ends.

## What we ask

We ask three questions:

1. How should peer workers' **working conditions and pay** be improved?
2. How should **peers, outreach teams and police** work together, or keep their distance?
3. How should **national health systems recognise** peer work?

While positions are open, write short positions (a few sentences each). Then vote **agree**,
**disagree** or **pass** on the positions of others, and discuss them in the comments. You can see how
each stakeholder group voted, so we can all see where we agree and where we differ.

## How the results will be used

The facilitators will write a recommendation report that shows where the five groups agree, where they
disagree and why. It will be shared with national drug coordinators, health ministries and the funders of
harm reduction services, and it will be published on this site.

## You are pseudonymous

You take part under a pseudonym. We never ask for your name, your email address or your phone number,
and nobody (not even the facilitators) can see how you voted. Figures about fewer than 5 people are
never shown. Please do not write anything that could identify you or anyone else.
`,
  /** Its languages, the main one first: positions and comments are written in one of them. */
  languages: ["en", "pt"],
} as const;

export const QUESTIONS = [
  {
    id: "pay",
    title: "How should peer workers' working conditions and pay be improved?",
    context: `Across Europe, peer workers are paid in very different ways: a salary on the same scale as other
staff, an hourly fee, a "volunteer allowance", or vouchers. Many work on contracts that end with a project
grant.

Things to think about:

- pay compared with other outreach staff doing the same work;
- contracts, sick leave and what happens during a relapse or a health crisis;
- how earnings interact with social security benefits;
- supervision, debriefing and protection from burnout;
- training and routes to promotion.`,
  },
  {
    id: "police",
    title: "How should peers, outreach teams and police work together, or keep their distance?",
    context: `Some services have agreements with local police; in other places police presence near needle and
syringe programmes, drug checking sites or sex work outreach keeps people away.

Things to think about:

- police presence near harm reduction services;
- referral schemes instead of arrest for possession of small amounts;
- whether condoms or sterile equipment are ever used as evidence;
- reporting violence safely, including for migrants;
- naloxone and overdose response by police;
- what information, if any, should be shared, and with whom.`,
  },
  {
    id: "recognition",
    title: "How should national health systems recognise peer work?",
    context: `In most countries peer work is not a recognised occupation: there is no job description, no
qualification and no funding line in the health budget.

Things to think about:

- qualifications and certificates, and whether they should require disclosure of drug use or sex work;
- criminal records and background checks;
- who sets the standards for good peer work;
- reimbursement by health insurers and national workforce plans;
- funding for organisations led by people who use drugs and by sex workers.`,
  },
] as const;

export type QuestionId = (typeof QUESTIONS)[number]["id"];

/**
 * How likely a member of each group is to agree with a position (0..1). The rest of the probability is
 * mostly "disagree", with some "pass" (see voteChoice in prisma/seed.ts).
 */
export type Support = Record<GroupId, number>;

export interface DemoPosition {
  key: string;
  question: QuestionId;
  group: GroupId;
  /** Written by one of the demo logins instead of a generated participant. */
  demoAuthor?: "harbor" | "heron";
  body: string;
  /** The language it is written in (one of CONSULTATION.languages); default: English. */
  language?: "en" | "pt";
  support: Support;
}

/** Order: peers, sex workers, outreach, police, policymakers. */
const s = (peers: number, sexWorkers: number, outreach: number, police: number, policy: number): Support => ({
  peers,
  sexWorkers,
  outreach,
  police,
  policy,
});

export const POSITIONS: DemoPosition[] = [
  // ---- 1. working conditions and pay --------------------------------------------------------
  {
    key: "equal-pay",
    question: "pay",
    group: "peers",
    demoAuthor: "harbor",
    body: "Peer workers should be paid at least the same hourly rate as other outreach staff doing the same shifts.",
    support: s(0.95, 0.9, 0.75, 0.45, 0.45),
  },
  {
    key: "no-vouchers",
    question: "pay",
    group: "sexWorkers",
    body: "Pay peers with money, not with vouchers or gift cards. Paying in vouchers tells people their work is worth less.",
    support: s(0.9, 0.95, 0.7, 0.4, 0.5),
  },
  {
    key: "supervision",
    question: "pay",
    group: "outreach",
    body: "Every peer worker should have regular, paid supervision and debriefing, the same as professional staff.",
    support: s(0.9, 0.85, 0.95, 0.8, 0.85),
  },
  {
    key: "sick-leave",
    question: "pay",
    group: "peers",
    body: "Contracts should include flexible hours and paid sick leave, without asking people to explain their health or their drug use.",
    support: s(0.95, 0.9, 0.7, 0.5, 0.55),
  },
  {
    key: "budget-line",
    question: "pay",
    group: "policy",
    body: "Funders should make peer salaries a fixed budget line in harm reduction grants, not an optional extra that is cut first.",
    support: s(0.85, 0.8, 0.85, 0.6, 0.75),
  },
  {
    key: "benefits",
    question: "pay",
    group: "sexWorkers",
    body: "Earning money from peer work should not make people lose their benefits overnight. We need a gradual transition and free advice on social security.",
    support: s(0.9, 0.95, 0.85, 0.6, 0.6),
  },
  {
    key: "pilots",
    question: "pay",
    group: "policy",
    body: "New peer roles should start as time-limited pilot projects, so that results can be evaluated before permanent funding is committed.",
    support: s(0.2, 0.25, 0.4, 0.65, 0.8),
  },
  {
    key: "background-checks",
    question: "pay",
    group: "police",
    body: "Peer workers should pass the same background checks as other staff who work with vulnerable people.",
    support: s(0.2, 0.2, 0.45, 0.9, 0.65),
  },
  {
    key: "relapse",
    question: "pay",
    group: "peers",
    body: "A relapse should be treated as a health matter with a return-to-work plan, never as a reason for dismissal.",
    support: s(0.9, 0.8, 0.65, 0.3, 0.45),
  },
  {
    key: "promotion",
    question: "pay",
    group: "outreach",
    body: "Services should offer peer workers training and a route to promotion into coordinator and management roles.",
    support: s(0.9, 0.85, 0.9, 0.75, 0.85),
  },
  {
    // Written in Portuguese: the demo consultation takes English and Portuguese.
    key: "paid-training-pt",
    question: "pay",
    group: "peers",
    language: "pt",
    body: "Os pares devem receber formação paga antes de começarem o trabalho de rua, e não só depois. Aprender também é trabalho.",
    support: s(0.9, 0.85, 0.8, 0.55, 0.7),
  },

  // ---- 2. peers, outreach and police --------------------------------------------------------
  {
    key: "no-police-at-sites",
    question: "police",
    group: "peers",
    body: "Police should not be present at drug checking sites or needle and syringe programmes.",
    support: s(0.95, 0.9, 0.8, 0.15, 0.45),
  },
  {
    key: "regular-meetings",
    question: "police",
    group: "police",
    body: "Police and outreach teams should meet regularly to agree how services can stay safe without deterring people from using them.",
    support: s(0.6, 0.55, 0.85, 0.95, 0.9),
  },
  {
    key: "condoms-not-evidence",
    question: "police",
    group: "sexWorkers",
    body: "Carrying condoms or sterile equipment should never be used as evidence of a crime.",
    support: s(0.95, 0.98, 0.9, 0.5, 0.75),
  },
  {
    key: "referral-not-arrest",
    question: "police",
    group: "police",
    demoAuthor: "heron",
    body: "Officers should be able to refer people to a peer worker instead of arresting them for possession of small amounts.",
    support: s(0.85, 0.75, 0.9, 0.8, 0.85),
  },
  {
    key: "local-agreement",
    question: "police",
    group: "outreach",
    body: "Every harm reduction service should have a written local agreement that police do not stop or search people near it, with a named contact to report breaches.",
    support: s(0.9, 0.85, 0.9, 0.35, 0.6),
  },
  {
    key: "share-information",
    question: "police",
    group: "police",
    body: "Peer workers should share information with the police about people who sell dangerous substances.",
    support: s(0.1, 0.15, 0.2, 0.85, 0.4),
  },
  {
    key: "report-violence",
    question: "police",
    group: "sexWorkers",
    body: "Sex workers who report violence must not have their immigration status checked or their work investigated.",
    support: s(0.9, 0.98, 0.9, 0.55, 0.7),
  },
  {
    key: "peer-training-for-police",
    question: "police",
    group: "peers",
    body: "Peers should be paid to train police officers on overdose response and on how stigma keeps people away from help.",
    support: s(0.85, 0.8, 0.85, 0.6, 0.8),
  },
  {
    key: "naloxone",
    question: "police",
    group: "policy",
    body: "Every patrol officer should carry naloxone and be trained to use it.",
    support: s(0.9, 0.85, 0.95, 0.8, 0.9),
  },
  {
    key: "visible-presence",
    question: "police",
    group: "police",
    body: "Police need to keep the option of a visible presence near services when residents complain about public drug use.",
    support: s(0.15, 0.2, 0.3, 0.9, 0.55),
  },

  // ---- 3. recognition -----------------------------------------------------------------------
  {
    key: "qualification-no-disclosure",
    question: "recognition",
    group: "peers",
    body: "Peer work should have a recognised qualification that does not require disclosure of drug use history.",
    support: s(0.9, 0.9, 0.85, 0.55, 0.75),
  },
  {
    key: "workforce-plans",
    question: "recognition",
    group: "policy",
    body: "Peer work should be listed as an occupation in national health workforce plans, with its own job description and pay scale.",
    support: s(0.9, 0.85, 0.85, 0.6, 0.8),
  },
  {
    key: "led-organisations",
    question: "recognition",
    group: "sexWorkers",
    body: "Organisations led by sex workers should be funded to deliver peer services directly, not only as subcontractors of larger NGOs.",
    support: s(0.85, 0.95, 0.55, 0.35, 0.5),
  },
  {
    key: "lived-experience",
    question: "recognition",
    group: "outreach",
    body: "Lived experience should count as relevant experience when hiring for any harm reduction role, not only for peer roles.",
    support: s(0.95, 0.9, 0.8, 0.4, 0.6),
  },
  {
    key: "certificate-insurers",
    question: "recognition",
    group: "policy",
    body: "A national certificate for peer workers would allow health insurers to reimburse peer services like other health services.",
    support: s(0.75, 0.65, 0.8, 0.65, 0.9),
  },
  {
    key: "past-convictions",
    question: "recognition",
    group: "police",
    body: "A past conviction for possession should not, on its own, bar someone from peer work. Employers should decide case by case.",
    support: s(0.95, 0.9, 0.9, 0.7, 0.75),
  },
  {
    key: "peers-set-standards",
    question: "recognition",
    group: "peers",
    body: "Organisations of people who use drugs, not governments, should set the standards for good peer work.",
    support: s(0.9, 0.85, 0.5, 0.2, 0.3),
  },
  {
    key: "outcome-indicators",
    question: "recognition",
    group: "policy",
    body: "Recognition must come with evaluation: peer services should report the same outcome indicators as other health services.",
    support: s(0.35, 0.35, 0.6, 0.8, 0.85),
  },
  {
    key: "free-training",
    question: "recognition",
    group: "sexWorkers",
    body: "Training and certification should be free and offered in the languages peers actually speak, including for migrants without residence papers.",
    support: s(0.9, 0.95, 0.8, 0.35, 0.55),
  },
  {
    key: "board-seats",
    question: "recognition",
    group: "outreach",
    body: "Peer workers should have seats on the boards that plan and fund drug and sexual health services.",
    support: s(0.9, 0.9, 0.85, 0.55, 0.7),
  },
];

export interface DemoComment {
  key: string;
  position: string;
  group: GroupId;
  demoAuthor?: "harbor" | "heron";
  /** Key of the comment this one replies to. */
  replyTo?: string;
  stance: "for" | "against" | "neutral";
  body: string;
  /** The language it is written in (one of CONSULTATION.languages); default: English. */
  language?: "en" | "pt";
  /** Flagged for the moderators by a member of this group (left open in the moderation queue). */
  flag?: { by: GroupId; reason: string };
}

export const COMMENTS: DemoComment[] = [
  {
    key: "c-paid-training-pt-1",
    position: "paid-training-pt",
    group: "outreach",
    stance: "for",
    language: "pt",
    body: "Concordo. Na nossa equipa a formação acontece no horário de trabalho e é paga como qualquer outro turno.",
  },
  {
    key: "c-equal-pay-1",
    position: "equal-pay",
    group: "outreach",
    stance: "for",
    body: "In our team peers do the same night shifts as I do and often know people better than I do. I see no reason to pay them less.",
  },
  {
    key: "c-equal-pay-2",
    position: "equal-pay",
    group: "policy",
    stance: "neutral",
    body: "Agreed in principle. The practical problem is that many grants fix salary bands by formal qualification. We would need to change the bands, not only the intention.",
  },
  {
    key: "c-equal-pay-3",
    position: "equal-pay",
    group: "peers",
    replyTo: "c-equal-pay-2",
    stance: "for",
    body: "Then change the bands. For this job, lived experience *is* the qualification.",
  },
  {
    key: "c-vouchers-1",
    position: "no-vouchers",
    group: "peers",
    stance: "for",
    body: "A voucher for a supermarket I can only reach by bus is not pay. A bank transfer or cash, please.",
  },
  {
    key: "c-vouchers-2",
    position: "no-vouchers",
    group: "outreach",
    stance: "neutral",
    body: "Some colleagues prefer not to receive bank transfers because of debts or benefit rules. Cash should be an option, not the only option.",
  },
  {
    key: "c-pilots-1",
    position: "pilots",
    group: "peers",
    stance: "against",
    body: "We have had pilots for fifteen years. Every time the funding ends, the trust we built with people ends with it.",
  },
  {
    key: "c-pilots-2",
    position: "pilots",
    group: "policy",
    stance: "for",
    body: "Without an evaluation it is very hard to convince a finance ministry. A pilot with a guaranteed follow-up budget if it meets agreed goals could be a compromise.",
  },
  {
    key: "c-checks-1",
    position: "background-checks",
    group: "sexWorkers",
    stance: "against",
    body: "Standard checks would exclude exactly the people with the experience this work needs. Check for violence or abuse, not for drug or sex work convictions.",
  },
  {
    key: "c-checks-2",
    position: "background-checks",
    group: "police",
    stance: "for",
    body: "My concern is safeguarding, not punishment. I could support checks that only look at offences relevant to the role.",
  },
  {
    key: "c-relapse-1",
    position: "relapse",
    group: "outreach",
    stance: "for",
    body: "Relapse is part of recovery for many people. In our service a return-to-work plan has worked better than dismissal, for the worker and for the team.",
  },
  {
    key: "c-sites-1",
    position: "no-police-at-sites",
    group: "peers",
    demoAuthor: "harbor",
    stance: "for",
    body: "When a police car parks near the needle exchange, nobody comes in that evening. It is that simple.",
  },
  {
    key: "c-sites-2",
    position: "no-police-at-sites",
    group: "police",
    demoAuthor: "heron",
    stance: "neutral",
    body: "I understand this. In our district we agreed to stay out of sight of the needle programme during opening hours, and it worked. A complete ban is difficult when there is an emergency call.",
  },
  {
    key: "c-sites-3",
    position: "no-police-at-sites",
    group: "outreach",
    replyTo: "c-sites-2",
    stance: "for",
    body: "Nobody objects to officers coming to an emergency. The problem is routine patrols and searches at the door.",
  },
  {
    key: "c-meetings-1",
    position: "regular-meetings",
    group: "outreach",
    stance: "for",
    body: "Our quarterly meeting with the neighbourhood team solved more problems than years of complaints by letter. Peers should be at the table too, not only staff.",
  },
  {
    key: "c-meetings-2",
    position: "regular-meetings",
    group: "peers",
    stance: "against",
    body: "These meetings mean nothing while the officer who patrols the station on Thursday nights, the tall one with the grey beard who drives the white van, keeps taking people's clean needles.",
    flag: {
      by: "outreach",
      reason: "This describes one officer in a way that could identify him. The problem it raises is important, but please remove the description.",
    },
  },
  {
    key: "c-information-1",
    position: "share-information",
    group: "peers",
    stance: "against",
    body: "If people think we pass information to the police, they stop telling us what is in their drugs. Then we cannot warn anyone.",
  },
  {
    key: "c-information-2",
    position: "share-information",
    group: "police",
    stance: "for",
    body: "We are talking about batches that kill people. There has to be some way to act on that information.",
  },
  {
    key: "c-information-3",
    position: "share-information",
    group: "outreach",
    replyTo: "c-information-2",
    stance: "neutral",
    body: "Drug checking services already publish alerts about dangerous batches without naming anyone. Those alerts are available to everyone, police included.",
  },
  {
    key: "c-condoms-1",
    position: "condoms-not-evidence",
    group: "sexWorkers",
    stance: "for",
    body: "Colleagues have stopped carrying condoms at work because of this. It puts everyone's health at risk, including clients'.",
  },
  {
    key: "c-violence-1",
    position: "report-violence",
    group: "policy",
    stance: "for",
    body: "Several cities already keep reports of crime separate from immigration control. This should be national policy.",
  },
  {
    key: "c-naloxone-1",
    position: "naloxone",
    group: "police",
    stance: "for",
    body: "Our unit has carried naloxone since last year. Two colleagues have already used it. The training took one afternoon.",
  },
  {
    key: "c-presence-1",
    position: "visible-presence",
    group: "sexWorkers",
    stance: "against",
    body: "Residents' complaints are real, but pushing people away from services moves everyone to darker, more dangerous places.",
  },
  {
    key: "c-qualification-1",
    position: "qualification-no-disclosure",
    group: "policy",
    stance: "neutral",
    body: "How would an employer know that a candidate has the lived experience the role asks for, without disclosure? I would like to hear proposals.",
  },
  {
    key: "c-qualification-2",
    position: "qualification-no-disclosure",
    group: "peers",
    replyTo: "c-qualification-1",
    stance: "for",
    body: "The peer organisation that trains and supervises you can confirm it. The employer does not need the details.",
  },
  {
    key: "c-led-1",
    position: "led-organisations",
    group: "outreach",
    stance: "neutral",
    body: "We subcontract a sex worker collective and their outreach is better than ours ever was. Small organisations also need support with administration to manage direct grants.",
  },
  {
    key: "c-convictions-1",
    position: "past-convictions",
    group: "peers",
    stance: "for",
    body: "My conviction is twelve years old. It still comes up every time I apply for a job in health.",
  },
  {
    key: "c-standards-1",
    position: "peers-set-standards",
    group: "policy",
    stance: "against",
    body: "Peer organisations should co-write the standards, but a public health body has to be accountable for them.",
  },
  {
    key: "c-indicators-1",
    position: "outcome-indicators",
    group: "peers",
    stance: "against",
    body: "Count what matters: trust, overdoses reversed, people reached who see nobody else. Not only the number of contacts.",
  },
];

/** Word lists for the generated participants' pseudonyms (same style as the app's own: two words and a number). */
export const PSEUDONYM_WORDS = {
  first: [
    "Amber", "Brave", "Calm", "Clear", "Coral", "Gentle", "Golden", "Honest", "Indigo", "Jade",
    "Kind", "Lively", "Mellow", "Misty", "Nimble", "Olive", "Patient", "Quiet", "Rapid", "Sage",
    "Silver", "Sunny", "Swift", "Teal", "Violet", "Warm", "Wise", "Bold", "Bright", "Rustic",
  ],
  second: [
    "Badger", "Beacon", "Birch", "Bridge", "Brook", "Canyon", "Cedar", "Comet", "Crane", "Delta",
    "Falcon", "Fern", "Finch", "Fox", "Island", "Lark", "Maple", "Meadow", "Otter", "Owl",
    "Pebble", "Pine", "Raven", "Reed", "River", "Robin", "Sparrow", "Swan", "Willow", "Wren",
  ],
} as const;
