import type { Attribution, Block, Inline } from '../../articles/index.ts'
import type { DemoContent } from './demo-types.ts'

/**
 * Demo content for The Hemisphere Ledger, a fictional paper. Every person,
 * quote and event here is invented; country and city names are real.
 */

type Run = string | Inline

const runs = (parts: Run[]): Inline[] => parts.map((part) => (typeof part === 'string' ? { text: part } : part))

const p = (...parts: Run[]): Block => ({ type: 'paragraph', content: runs(parts) })

const h2 = (text: string): Block => ({ type: 'heading', level: 2, content: [{ text }] })

const em = (text: string): Inline => ({ text, marks: [{ type: 'italic' }] })

const link = (text: string, href: string): Inline => ({ text, marks: [{ type: 'link', href }] })

const quote = (text: string, attribution: Attribution): Block => ({
  type: 'quote',
  content: [{ text }],
  attribution,
})

const pullquote = (text: string, speaker?: string): Block =>
  speaker ? { type: 'pullquote', text, speaker } : { type: 'pullquote', text }

const list = (ordered: boolean, items: Run[][]): Block => ({ type: 'list', ordered, items: items.map(runs) })

/** The illustrations in src/db/seed/media/, with their intrinsic sizes. */
const MEDIA = {
  harbour: { file: 'harbour-skyline.svg', width: 1200, height: 675 },
  map: { file: 'americas-europe-map.svg', width: 1200, height: 800 },
  chart: { file: 'trade-chart.svg', width: 1200, height: 675 },
  flask: { file: 'lab-flask.svg', width: 1200, height: 800 },
  wind: { file: 'wind-coast.svg', width: 1200, height: 675 },
} as const

const image = (media: keyof typeof MEDIA, alt: string, caption: string): Block => ({
  type: 'image',
  src: `/media/demo/${MEDIA[media].file}`,
  alt,
  width: MEDIA[media].width,
  height: MEDIA[media].height,
  caption,
  credit: 'Illustration: Hemisphere Ledger',
})

/** Body of the Santos strike story as first published, reused by its update. */
const santosStrikeLead: Block[] = [
  p(
    'Dockworkers at the port of Santos, the busiest in Latin America, walked off the job before dawn on Friday, halting the loading of soybeans, coffee and containers at most of the port’s terminals.',
  ),
  p(
    'The strike was called by the port workers’ union after talks over a new collective agreement broke down late on Thursday. The union is demanding a 9 percent pay rise and limits on the automation of cranes at two container terminals due to be modernised this year.',
  ),
  p(
    'The port authority said that ships already alongside would be allowed to finish operations with supervisory staff, but that at least 14 vessels waiting offshore would be delayed. Grain traders said the timing, at the start of the soybean export season, could hardly be worse.',
  ),
  quote(
    'Nobody here is against new cranes. We are against new cranes that arrive with a list of the names of the people they replace.',
    {
      speaker: 'Valdir Assunção',
      role: 'President of the Santos port workers’ union',
      givenTo: 'reporters',
      context: 'speaking at a picket line',
      date: '2026-02-06',
    },
  ),
]

export const DEMO_CONTENT: DemoContent = {
  siteName: 'The Hemisphere Ledger',
  tagline: 'Independent news from the Americas and Europe',

  sections: [
    {
      slug: 'latin-america',
      name: 'Latin America',
      description: 'News and analysis from Mexico to Patagonia, reported by our correspondents and partner agencies.',
      kind: 'region',
    },
    {
      slug: 'north-america',
      name: 'North America',
      description: 'Politics, economy and society in the United States and Canada.',
      kind: 'region',
    },
    {
      slug: 'europe',
      name: 'Europe',
      description: 'Coverage of the European Union and its member states, with a focus on ties across the Atlantic.',
      kind: 'region',
    },
    {
      slug: 'usa',
      name: 'USA',
      description: 'Washington, the states and the economy, seen from a hemispheric perspective.',
      kind: 'country',
      parent: 'north-america',
    },
    {
      slug: 'canada',
      name: 'Canada',
      description: 'Federal and provincial politics, trade and the environment in Canada.',
      kind: 'country',
      parent: 'north-america',
    },
    {
      slug: 'mexico',
      name: 'Mexico',
      description: 'Politics, security and the economy in Mexico, from the capital to the northern border.',
      kind: 'country',
      parent: 'latin-america',
    },
    {
      slug: 'brazil',
      name: 'Brazil',
      description: 'Latin America’s largest economy: Brasília, the markets, the Amazon and beyond.',
      kind: 'country',
      parent: 'latin-america',
    },
    {
      slug: 'colombia',
      name: 'Colombia',
      description: 'Elections, the peace process and the economy in Colombia.',
      kind: 'country',
      parent: 'latin-america',
    },
    {
      slug: 'venezuela',
      name: 'Venezuela',
      description: 'Politics, oil and migration in Venezuela and its relations with its neighbours.',
      kind: 'country',
      parent: 'latin-america',
    },
    {
      slug: 'germany',
      name: 'Germany',
      description: 'Berlin’s politics and Europe’s largest economy, from the car industry to the energy transition.',
      kind: 'country',
      parent: 'europe',
    },
    {
      slug: 'france',
      name: 'France',
      description: 'Government, parliament and public life in France.',
      kind: 'country',
      parent: 'europe',
    },
    {
      slug: 'spain',
      name: 'Spain',
      description: 'Politics, housing, water and migration in Spain, and its ties to Latin America.',
      kind: 'country',
      parent: 'europe',
    },
    {
      slug: 'politics',
      name: 'Politics',
      description: 'Governments, elections and diplomacy across the hemisphere and Europe.',
      kind: 'topic',
    },
    {
      slug: 'business',
      name: 'Business',
      description: 'Trade, markets, companies and the people who work for them.',
      kind: 'topic',
    },
    {
      slug: 'science',
      name: 'Science',
      description: 'Climate, health and research, explained without the jargon.',
      kind: 'topic',
    },
    {
      slug: 'opinion',
      name: 'Opinion',
      description: 'Columns and commentary. The views expressed are the authors’ own.',
      kind: 'opinion',
    },
    {
      slug: 'letters',
      name: 'Letters',
      description: 'Readers respond to our reporting and our columnists. Letters may be edited for length and clarity.',
      kind: 'opinion',
      parent: 'opinion',
    },
  ],

  authors: [
    {
      slug: 'staff',
      name: 'Hemisphere Ledger Staff',
      kind: 'desk',
      bio: 'Reporting and editing by the newsroom of The Hemisphere Ledger, including copy from our partner agencies.',
    },
    {
      slug: 'lucia-ferreira-baptista',
      name: 'Lucía Ferreira Baptista',
      kind: 'person',
      jobTitle: 'Latin America Correspondent',
      bio: 'Lucía Ferreira Baptista covers Latin America from São Paulo. She previously reported on energy and labour in Buenos Aires and Bogotá.',
    },
    {
      slug: 'jonas-wedekind',
      name: 'Jonas Wedekind',
      kind: 'person',
      jobTitle: 'Europe Correspondent',
      bio: 'Jonas Wedekind reports on European politics and economics from Berlin. He joined the Ledger after a decade covering the EU in Brussels.',
    },
    {
      slug: 'priya-castellanos',
      name: 'Priya Castellanos',
      kind: 'person',
      jobTitle: 'Science Editor',
      bio: 'Priya Castellanos writes about climate, public health and research. She trained as a marine biologist before moving into journalism.',
    },
    {
      slug: 'malcolm-devereux',
      name: 'Malcolm Devereux',
      kind: 'person',
      jobTitle: 'North America Correspondent',
      bio: 'Malcolm Devereux covers the United States and Canada from Washington, with a particular interest in trade and the states.',
    },
    {
      slug: 'ines-montalban',
      name: 'Inés Montalbán',
      kind: 'person',
      jobTitle: 'Columnist',
      bio: 'Inés Montalbán writes a weekly column on Latin American politics and diplomacy. She was a foreign correspondent in Caracas, Havana and Mexico City.',
    },
    {
      slug: 'henrik-aalders',
      name: 'Henrik Aalders',
      kind: 'person',
      jobTitle: 'Economics Columnist',
      bio: 'Henrik Aalders is an economist and columnist who writes about energy, industry and the European economy.',
    },
    {
      slug: 'marisol-achterberg',
      name: 'Marisol Achterberg, Rotterdam',
      kind: 'person',
      jobTitle: 'Reader',
    },
    {
      slug: 'gareth-pinto',
      name: 'Gareth Pinto, Toronto',
      kind: 'person',
      jobTitle: 'Reader',
    },
  ],

  sources: [
    { slug: 'staff', name: 'The Hemisphere Ledger', credit: 'Hemisphere Ledger', kind: 'staff' },
    {
      slug: 'acp',
      name: 'Agence Continentale de Presse',
      credit: 'ACP',
      kind: 'agency',
      url: 'https://www.acp-presse.example',
    },
    {
      slug: 'meridian',
      name: 'Meridian Wire',
      credit: 'Meridian',
      kind: 'agency',
      url: 'https://meridianwire.example',
    },
    {
      slug: 'an',
      name: 'Associated Newswire',
      credit: 'AN',
      kind: 'agency',
      url: 'https://www.associatednewswire.example',
    },
    {
      slug: 'gazeta-do-atlantico',
      name: 'Gazeta do Atlântico',
      credit: 'Gazeta do Atlântico',
      kind: 'partner',
      url: 'https://gazetadoatlantico.example',
    },
    { slug: 'readers', name: 'Readers', credit: 'Letter to the editor', kind: 'reader' },
  ],

  tags: [
    { slug: 'diplomacy', name: 'Diplomacy' },
    { slug: 'trade', name: 'Trade' },
    { slug: 'elections', name: 'Elections' },
    { slug: 'climate', name: 'Climate' },
    { slug: 'energy', name: 'Energy' },
    { slug: 'migration', name: 'Migration' },
    { slug: 'health', name: 'Health' },
    { slug: 'technology', name: 'Technology' },
    { slug: 'sanctions', name: 'Sanctions' },
    { slug: 'agriculture', name: 'Agriculture' },
    { slug: 'labour', name: 'Labour' },
    { slug: 'transport', name: 'Transport' },
    { slug: 'water', name: 'Water' },
    { slug: 'monetary-policy', name: 'Monetary policy' },
  ],

  articles: [
    {
      slug: 'colombia-electoral-council-certifies-presidential-candidates',
      title: 'Colombia’s electoral council certifies eleven presidential candidates for May vote',
      dek: 'The council rejected four other applications over signature irregularities, setting up a crowded first round in which no candidate currently polls above a fifth of the vote.',
      sections: ['latin-america', 'colombia', 'politics'],
      tags: ['elections'],
      authors: ['staff'],
      source: 'an',
      publishedAt: '2026-01-05T09:15:00Z',
      body: [
        p(
          'Colombia’s National Electoral Council on Monday certified eleven candidates for the presidential election on May 31, one of the most crowded fields in recent memory.',
        ),
        p(
          'The council rejected four further applications, saying that independent campaigns had submitted petitions with duplicated or unverifiable signatures. Two of the rejected candidates said they would appeal to the Council of State.',
        ),
        p(
          'The certified list includes three former mayors of Bogotá and Medellín, a retired army general, two senators and an economist who has never held public office. Several parties have yet to say whether they will merge their campaigns before the first round.',
        ),
        quote(
          'The law gives every citizen the right to run, and it gives every voter the right to know that the signatures behind a candidate are real. Today we defended both.',
          {
            speaker: 'Marta Lucía Obando',
            role: 'President of the National Electoral Council',
            givenTo: 'reporters',
            context: 'at a news conference',
            date: '2026-01-05',
          },
        ),
        p(
          'Recent polls suggest no candidate has more than 20 percent support, making a runoff on June 21 all but certain. Security, the cost of living and the future of talks with armed groups are expected to dominate the campaign.',
        ),
        p(
          'The campaign formally begins on January 31, when candidates will be allowed to buy advertising on television and radio.',
        ),
      ],
    },

    {
      slug: 'german-industrial-orders-rise-for-third-month-on-foreign-demand',
      title: 'German industrial orders rise for a third month as foreign demand picks up',
      dek: 'Orders for German factory goods rose 1.8 percent in November, lifted by large contracts from outside the euro zone, though economists warned that domestic demand remains weak.',
      sections: ['europe', 'business', 'germany'],
      tags: ['trade', 'energy'],
      authors: ['staff'],
      source: 'meridian',
      publishedAt: '2026-01-06T14:40:00Z',
      body: [
        p(
          'New orders for German industrial goods rose for a third consecutive month in November, official figures showed on Tuesday, offering tentative evidence that Europe’s largest manufacturing sector may be past the worst of a two-year slump.',
        ),
        p(
          'Orders climbed 1.8 percent from October after adjusting for seasonal effects and inflation, the federal statistics office said. Economists surveyed by Meridian had expected a rise of 0.6 percent.',
        ),
        image(
          'chart',
          'Bar chart with eight quarterly bars rising from left to right and a yellow trend line; the last bar is highlighted in red.',
          'Foreign orders have driven most of the recovery in German manufacturing over the past two years.',
        ),
        p(
          'Much of the increase came from large contracts for machinery and electrical equipment from outside the euro zone, in particular from North America and Asia. Orders from within Germany fell 0.4 percent.',
        ),
        p(
          'Energy-intensive industries such as chemicals and glass continued to report weak demand, reflecting electricity prices that remain well above their level before 2022.',
        ),
        quote(
          'One good quarter does not make a recovery, but it does tell you that German engineering still sells when the customer can afford it. The problem is that the customer is increasingly not in Germany.',
          {
            speaker: 'Katrin Oberhuber',
            role: 'Chief economist at Rheinland Landesbank',
            givenTo: 'Meridian',
            context: 'in an interview',
            date: '2026-01-06',
          },
        ),
        p(
          'Industrial production figures for November are due on Thursday and are expected to show a smaller increase, as factories work through existing order backlogs.',
        ),
      ],
    },

    {
      slug: 'berlin-coalition-partners-clash-over-rail-spending-in-budget-talks',
      title: 'Berlin coalition partners clash over rail spending as budget deadline nears',
      dek: 'The junior coalition partner wants an extra 4 billion euros for rail maintenance, while the finance ministry insists the money must come from savings elsewhere in the transport budget.',
      sections: ['europe', 'politics', 'germany'],
      tags: ['transport'],
      authors: ['jonas-wedekind'],
      source: 'staff',
      publishedAt: '2026-01-08T07:30:00Z',
      body: [
        p(
          'BERLIN — A dispute over how much Germany should spend repairing its ageing railway network has become the main obstacle to agreement on next year’s federal budget, with the governing coalition’s two partners trading public accusations this week.',
        ),
        p(
          'The junior partner is demanding an additional 4 billion euros for track and bridge maintenance, arguing that delays on long-distance trains have become an embarrassment. Finance Minister Torsten Hallberg has said any increase must be offset by cuts to road projects.',
        ),
        quote(
          'Every euro we do not spend on a bridge today is five euros we spend on a closure tomorrow. That is not a left-wing or right-wing idea, it is arithmetic.',
          {
            speaker: 'Annelie Brandstätter',
            role: 'Transport spokeswoman for the junior coalition partner',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-01-07',
          },
        ),
        p(
          'Officials at the finance ministry say the constitutional limit on borrowing leaves little room for new commitments, and point to a special infrastructure fund approved last year that has not yet been fully spent.',
        ),
        p(
          'Coalition leaders are due to meet on Sunday evening. The cabinet had planned to approve a draft budget by the end of January, a timetable officials privately concede is now in doubt.',
        ),
        p(
          'Only about two in three long-distance trains arrived on time last year, according to the national operator, one of the worst records in western Europe. Read more coverage in our ',
          link('Germany section', '/sections/germany'),
          '.',
        ),
      ],
    },

    {
      slug: 'brazil-reports-sharp-drop-in-amazon-forest-clearing',
      title: 'Brazil reports sharpest annual drop in Amazon forest clearing in a decade',
      dek: 'Satellite monitoring showed clearing in the Brazilian Amazon fell by about a third in the twelve months to December, though scientists warned that fires and degradation are rising.',
      sections: ['latin-america', 'brazil', 'science'],
      tags: ['climate', 'agriculture'],
      authors: ['staff'],
      source: 'acp',
      publishedAt: '2026-01-09T16:05:00Z',
      body: [
        p(
          'Forest clearing in the Brazilian Amazon fell by about a third last year, according to preliminary satellite data released on Friday by the country’s space research agency, the steepest annual decline in a decade.',
        ),
        p(
          'The agency’s monitoring system detected roughly 4,100 square kilometres of clear-cut forest in the twelve months to December, compared with about 6,200 square kilometres a year earlier.',
        ),
        p(
          'Environment officials attributed the fall to stepped-up enforcement, including the seizure of cattle raised on illegally cleared land, and to new rules that require meatpackers to trace animals back to the farm where they were born.',
        ),
        quote(
          'Clear-cutting is the easiest damage to see from space. What worries us now is the forest that is still standing but has been burned, thinned and left to dry out.',
          {
            speaker: 'Dr Helena Marçal Duarte',
            role: 'Ecologist at the Federal University of Pará',
            givenTo: 'ACP',
            context: 'in an interview',
            date: '2026-01-09',
          },
        ),
        p(
          'Scientists have warned that degradation, where forest is damaged by fire or selective logging without being cleared, has increased during two consecutive years of severe drought in the basin.',
        ),
        p('Final figures, which are usually slightly higher than the preliminary estimate, are expected in March.'),
      ],
    },

    {
      slug: 'dengue-vaccine-trial-in-brazil-and-colombia-reports-strong-early-results',
      title: 'Dengue vaccine trial in Brazil and Colombia reports strong early results',
      dek: 'A single-dose vaccine developed by a public laboratory cut symptomatic dengue by 79 percent in the first year of a trial involving 16,000 volunteers, researchers said.',
      seoTitle: 'Single-dose dengue vaccine shows 79% efficacy in Brazil and Colombia trial',
      sections: ['science', 'latin-america', 'brazil'],
      tags: ['health'],
      authors: ['priya-castellanos'],
      source: 'staff',
      publishedAt: '2026-01-12T11:20:00Z',
      body: [
        p(
          'A single-dose dengue vaccine developed by a public research laboratory in Brazil prevented about four in five cases of symptomatic infection during the first year of a large trial, according to results published on Monday.',
        ),
        p(
          'The trial enrolled 16,000 volunteers aged 2 to 59 in eight cities in Brazil and Colombia, half of whom received the vaccine and half a placebo. Researchers recorded 79 percent fewer cases of laboratory-confirmed dengue among those vaccinated, and no deaths in either group.',
        ),
        image(
          'flask',
          'Illustration of a laboratory flask half filled with green liquid and bubbles, next to a rack of three test tubes.',
          'The vaccine uses weakened versions of all four strains of the dengue virus in one dose.',
        ),
        p(
          'Dengue, a mosquito-borne virus, has spread rapidly in recent years as warmer and wetter weather extends the range of the insects that carry it. Brazil recorded its highest number of cases on record in 2024.',
        ),
        quote(
          'Two-dose vaccines are wonderful in a clinical trial and much harder in a favela, where you may never see the same family twice. One dose changes what a public health campaign can do.',
          {
            speaker: 'Dr Rafael Quintero Salas',
            role: 'Principal investigator of the trial',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-01-11',
          },
        ),
        p(
          'Independent experts cautioned that protection against the rarer fourth strain of the virus could not yet be measured, because too few participants were infected with it. The volunteers will be followed for five years.',
        ),
        p(
          'The results appear in the journal ',
          em('Tropical Medicine Reports'),
          '. Brazil’s health regulator is expected to rule on an application for emergency use in the second half of the year.',
        ),
      ],
    },

    {
      slug: 'us-grants-offshore-wind-lease-in-gulf-of-maine',
      title: 'US grants first floating wind lease in the Gulf of Maine',
      dek: 'The lease allows a developer to study an area of deep water about 40 miles offshore, where turbines would float on anchored platforms rather than stand on the seabed.',
      sections: ['north-america', 'usa', 'business'],
      tags: ['energy', 'climate'],
      authors: ['staff'],
      source: 'an',
      publishedAt: '2026-01-13T18:45:00Z',
      body: [
        p(
          'The federal government on Tuesday awarded a lease for a floating offshore wind project in the Gulf of Maine, the first in a region where the water is too deep for conventional turbines fixed to the seabed.',
        ),
        p(
          'The lease, covering about 110 square miles roughly 40 miles off the coast, went to Casco Offshore Energy, a joint venture of a Norwegian utility and a Boston infrastructure fund, for 18 million dollars.',
        ),
        image(
          'wind',
          'Illustration of three white wind turbines on a green ridge above a dark blue sea.',
          'Floating turbines are tethered to the seabed by mooring lines instead of resting on fixed foundations.',
        ),
        p(
          'The company has five years to survey the site and submit a construction plan. It estimates the project could eventually generate enough electricity for about 400,000 homes, though it has not committed to a date.',
        ),
        p(
          'Commercial fishing groups, which have opposed offshore wind development in the gulf, said they were studying the boundaries of the lease and would seek to keep turbines away from lobster grounds.',
        ),
        quote(
          'We have been told for ten years that this area would be left for fishing. Now we are told it will be studied. We know what that usually means.',
          {
            speaker: 'Roger Thibodeau',
            role: 'Director of a Maine lobstermen’s cooperative',
            givenTo: 'AN',
            context: 'in a telephone interview',
            date: '2026-01-13',
          },
        ),
      ],
    },

    {
      slug: 'mexican-states-compete-for-factory-investment-as-nearshoring-cools',
      title: 'Mexican states compete for factory investment as the nearshoring boom cools',
      dek: 'Northern states are offering tax breaks, land and water rights to manufacturers as the rush of factories moving closer to the US market slows amid tariff uncertainty.',
      sections: ['latin-america', 'business', 'mexico'],
      tags: ['trade', 'water'],
      authors: ['staff'],
      source: 'meridian',
      publishedAt: '2026-01-15T08:00:00Z',
      body: [
        p(
          'MONTERREY — Governors in northern Mexico are stepping up incentives for foreign manufacturers as the wave of companies relocating production from Asia to be closer to the United States shows signs of slowing.',
        ),
        p(
          'Announced investment in new industrial parks in the states of Nuevo León, Coahuila and Chihuahua fell by about a quarter last year, according to an industry association, after two years of rapid growth.',
        ),
        p(
          'Executives cite uncertainty over US tariff policy and over the review of the North American trade agreement due this year, as well as shortages of electricity and water in the most popular industrial zones.',
        ),
        quote(
          'Two years ago a client would fly in on Monday and sign on Friday. Now they fly in, they ask how many megawatts we can guarantee, and they fly home to think about it.',
          {
            speaker: 'Gustavo Elizondo Treviño',
            role: 'Managing director of an industrial park developer in Nuevo León',
            givenTo: 'Meridian',
            context: 'in an interview',
            date: '2026-01-14',
          },
        ),
        p(
          'Coahuila this month offered investors a ten-year exemption from the state payroll tax, while Chihuahua said it would fast-track permits for private solar plants serving factories.',
        ),
        p(
          'Economists say the competition risks shifting investment between states rather than attracting more of it, and could deepen the strain on scarce water supplies in the arid north.',
        ),
      ],
    },

    {
      slug: 'french-assembly-delays-budget-vote-by-three-weeks',
      previousSlug: 'france-budget-vote-postponed-after-coalition-talks-fail',
      title: 'French National Assembly delays budget vote by three weeks after talks stall',
      dek: 'The government postponed a final vote on the budget until early February to buy time for negotiations with opposition groups whose votes it needs to avoid a confidence motion.',
      sections: ['europe', 'france', 'politics'],
      tags: ['elections'],
      authors: ['jonas-wedekind'],
      source: 'staff',
      publishedAt: '2026-01-16T13:30:00Z',
      body: [
        p(
          'PARIS — The French government on Friday postponed a final vote on next year’s budget by three weeks, conceding that it did not yet have the support it needs in the divided National Assembly.',
        ),
        p(
          'Prime Minister Claire Vasseur-Lemoine told lawmakers that the vote, scheduled for next Tuesday, would now take place on February 6, and that the government would continue talks with centre-left and regional groups over changes to pension and local-government spending.',
        ),
        p(
          'Without a majority, the government could force the budget through without a vote using a special constitutional procedure, but that would expose it to a motion of no confidence that opposition parties have said they would support.',
        ),
        quote(
          'A budget passed against the Assembly is a budget that will be unpicked within a year. We would rather take three more weeks and pass one that lasts.',
          {
            speaker: 'Claire Vasseur-Lemoine',
            role: 'Prime Minister of France',
            givenTo: 'the National Assembly',
            date: '2026-01-16',
          },
        ),
        p(
          'France is operating under a temporary law that allows the state to collect taxes and pay salaries at last year’s levels until a budget is adopted. Ratings agencies have warned that prolonged uncertainty could weigh on the country’s credit score.',
        ),
        p(
          'Opposition leaders welcomed the delay but said their demands, including a freeze on cuts to hospital budgets, had not changed.',
        ),
      ],
    },

    {
      slug: 'canadian-ports-report-record-container-traffic-to-europe',
      title: 'Canadian ports report record container traffic to Europe as trade pact matures',
      dek: 'Shipments from Halifax and Montreal to European ports rose 11 percent last year, as exporters of food, timber and minerals made fuller use of the trade agreement with the EU.',
      sections: ['north-america', 'business', 'canada', 'europe'],
      tags: ['trade', 'transport'],
      authors: ['staff'],
      source: 'staff',
      publishedAt: '2026-01-19T10:10:00Z',
      body: [
        p(
          'Canada’s two main Atlantic container ports handled a record volume of cargo bound for Europe last year, according to figures released on Monday, as exporters leaned further on a trade agreement with the European Union that removed most tariffs between the two.',
        ),
        p(
          'Shipments from Halifax and Montreal to European ports rose 11 percent in 2025, measured in standard containers. Frozen seafood, lumber, canola oil and refined minerals accounted for most of the increase.',
        ),
        image(
          'harbour',
          'Illustration of a harbour at dusk with two container cranes, a stack of coloured containers, a ship in the water and low city buildings.',
          'Container traffic between Canada’s Atlantic ports and northern Europe has grown every year since 2021.',
        ),
        p(
          'Port officials said the growth partly reflected exporters seeking to diversify away from the United States, which buys about three-quarters of Canada’s exports, after a year of tariff disputes between Ottawa and Washington.',
        ),
        quote(
          'For a long time Europe was the market you served when the American market was full. Our customers now treat it as a market in its own right.',
          {
            speaker: 'Siobhan MacAulay',
            role: 'Head of trade development at the Port of Halifax',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-01-16',
          },
        ),
        p('Imports from Europe grew more slowly, by 4 percent, led by machinery, pharmaceuticals and wine.'),
        p(
          'Both ports are expanding. Halifax expects to open a new berth capable of handling the largest transatlantic container ships in 2027.',
        ),
      ],
    },

    {
      slug: 'catalonia-extends-water-restrictions-as-reservoirs-stay-low',
      title: 'Catalonia extends water restrictions as reservoirs stay below a fifth of capacity',
      dek: 'Regional authorities kept limits on farm irrigation and municipal water use in place for at least three more months, after a dry autumn failed to refill reservoirs.',
      sections: ['europe', 'spain', 'science'],
      tags: ['climate', 'water', 'agriculture'],
      authors: ['staff'],
      source: 'acp',
      publishedAt: '2026-01-21T06:50:00Z',
      body: [
        p(
          'BARCELONA — The regional government of Catalonia on Tuesday extended water restrictions across much of the region until at least the end of April, after an unusually dry autumn left its main reservoirs at 19 percent of capacity.',
        ),
        p(
          'The measures cap daily water use per resident in affected municipalities, ban the filling of private swimming pools and cut irrigation allowances for farmers by 40 percent.',
        ),
        p(
          'Rainfall in the catchment areas that feed the Barcelona metropolitan area was less than half the long-term average between September and December, the regional water agency said.',
        ),
        quote(
          'We have built desalination capacity faster than at any time in our history, and we will need every litre of it. But a desalination plant does not make it rain in the Pyrenees.',
          {
            speaker: 'Núria Puigvert i Casals',
            role: 'Catalan regional minister for climate action',
            givenTo: 'ACP',
            context: 'in an interview',
            date: '2026-01-20',
          },
        ),
        p(
          'Farmers’ organisations said the irrigation cuts would force many fruit growers in the Lleida plain to leave orchards unwatered for a second year, and called for compensation from Madrid.',
        ),
        p(
          'Climate scientists have linked the increasing frequency of multi-year droughts in the western Mediterranean to rising temperatures, which increase evaporation and shift storm tracks northward.',
        ),
      ],
    },

    {
      slug: 'europes-energy-transition-is-stuck-in-the-wires',
      title: 'Europe’s energy transition is not short of turbines. It is stuck in the wires',
      dek: 'Wind farms and solar parks are being switched off on sunny, windy days because the grid cannot carry their power, and no subsidy for generation will fix that.',
      sections: ['opinion', 'europe', 'business'],
      tags: ['energy', 'climate'],
      authors: ['henrik-aalders'],
      source: 'staff',
      publishedAt: '2026-01-22T15:00:00Z',
      body: [
        p(
          'On a windy afternoon last autumn, operators in northern Germany paid wind farms to stop turning. The turbines were working; the power lines that should have carried their electricity south to the factories of Bavaria were already full. The bill for such curtailment, paid ultimately by consumers, now runs to billions of euros a year.',
        ),
        p(
          'This is the quiet scandal of Europe’s energy transition. For two decades, governments have competed to announce ever larger targets for wind and solar capacity. They have been far less eager to talk about transmission lines, substations and transformers, which are expensive, slow to build and deeply unpopular with the people who live near them.',
        ),
        pullquote(
          'A kilowatt-hour generated in the wrong place at the wrong time is not clean energy. It is a cost.',
          'Henrik Aalders',
        ),
        p(
          'The numbers are stark. Across the European Union, projects with a combined capacity larger than the entire French nuclear fleet are waiting in queues to be connected to the grid. In some regions of Spain and the Netherlands, new industrial customers are told they will wait until the next decade for a connection.',
        ),
        p(
          'There are three things governments could do tomorrow. They could set binding deadlines for grid permits, as they have for renewable projects. They could allow grid operators to build ahead of demand rather than waiting for a customer to ask. And they could finally treat cross-border interconnectors as shared European infrastructure rather than national favours.',
        ),
        p(
          'None of this is glamorous. Nobody cuts a ribbon on a substation. But the next phase of the transition will be won or lost in the wires, and the sooner finance ministers accept that, the cheaper it will be for everyone.',
        ),
        p(
          'For our reporting on the same problem in North America, see ',
          link('our Business section', '/sections/business'),
          '.',
        ),
      ],
    },

    {
      slug: 'mexican-senate-approves-national-water-law-after-all-night-session',
      title: 'Mexican Senate approves national water law after all-night session',
      dek: 'The law tightens control over industrial and agricultural water concessions and gives priority to household use, a change businesses warn could deter investment in the arid north.',
      sections: ['latin-america', 'mexico', 'politics'],
      tags: ['water', 'agriculture'],
      authors: ['lucia-ferreira-baptista', 'malcolm-devereux'],
      source: 'staff',
      publishedAt: '2026-01-23T12:00:00Z',
      body: [
        p(
          'MEXICO CITY — Mexico’s Senate approved a sweeping overhaul of the country’s water law early on Friday after a debate that lasted more than fourteen hours, sending the bill to the president for signature.',
        ),
        p(
          'The law, which passed by 78 votes to 41, gives legal priority to household and public-health use over industry and agriculture, and allows the federal water authority to reduce or revoke concessions that are unused or exceed the amount of water available in an aquifer.',
        ),
        p(
          'Supporters say the changes are needed to end decades in which large farms and factories held rights to more water than existed, while poorer neighbourhoods in cities such as Monterrey and Querétaro faced rationing.',
        ),
        quote(
          'A concession is a permission, not a property title. For too long some people have treated water under the ground as if they owned it forever.',
          {
            speaker: 'Senator Rosaura Quezada Ibarra',
            role: 'Chair of the Senate water resources committee',
            context: 'during the Senate floor debate',
            date: '2026-01-23',
          },
        ),
        p(
          'Business groups and farm organisations in the northern states argued that the law would create legal uncertainty at a time when Mexico is trying to attract manufacturers relocating from Asia.',
        ),
        p(
          'The law also has implications for Mexico’s obligations under a 1944 treaty that governs the sharing of water from the Rio Grande and Colorado rivers with the United States, a recurring source of friction between the two governments during dry years.',
        ),
        p('Officials in Washington declined to comment on the vote. Implementing regulations are due within 180 days.'),
      ],
    },

    {
      slug: 'brazil-central-bank-cuts-benchmark-rate-citing-cooling-inflation',
      title: 'Brazil’s central bank cuts benchmark rate, citing cooling inflation',
      dek: 'The bank lowered the Selic rate by half a point and signalled further cuts if inflation expectations keep falling, ending a long period of restrictive policy.',
      sections: ['latin-america', 'business', 'brazil'],
      tags: ['monetary-policy'],
      authors: ['lucia-ferreira-baptista'],
      source: 'staff',
      publishedAt: '2026-01-26T09:40:00Z',
      correction: {
        at: '2026-01-26T15:20:00Z',
        text: 'An earlier version of this article misstated the size of the rate cut. The central bank lowered the Selic by 0.50 percentage point, to 14.50 percent, not by 0.75 point to 14.25 percent.',
      },
      body: [
        p(
          'SÃO PAULO — Brazil’s central bank cut its benchmark interest rate for the first time in more than a year, saying that inflation had slowed enough to begin easing what it called a “clearly restrictive” policy.',
        ),
        p(
          'The bank’s monetary policy committee lowered the Selic rate by 0.50 percentage point to 14.50 percent in a unanimous decision. Most economists had expected the cut, though a minority had forecast a smaller move.',
        ),
        p(
          'Consumer prices rose 4.1 percent in the twelve months to December, within the bank’s tolerance range for the first time since mid-2024, helped by a stronger currency and lower food prices after a record harvest.',
        ),
        quote(
          'We are not declaring victory. We are adjusting the dose of a medicine that has been working, and we will keep adjusting it according to the data.',
          {
            speaker: 'Renata Albuquerque Lins',
            role: 'Director of monetary policy at the Central Bank of Brazil',
            givenTo: 'reporters',
            context: 'at a news briefing',
            date: '2026-01-26',
          },
        ),
        p(
          'In its statement, the committee said further reductions of the same size were likely at its next meetings if inflation expectations continued to converge towards its 3 percent target.',
        ),
        p(
          'Business groups welcomed the decision but said borrowing costs remained among the highest in the world in real terms. The real strengthened slightly against the dollar after the announcement.',
        ),
      ],
    },

    {
      slug: 'canada-braces-for-early-wildfire-season-after-dry-winter',
      title: 'Canada braces for an early wildfire season after a dry, mild winter',
      dek: 'Federal and provincial agencies are hiring more firefighters and leasing water bombers earlier than usual, as thin snowpack in the west raises the risk of spring fires.',
      sections: ['north-america', 'canada', 'science'],
      tags: ['climate'],
      authors: ['staff'],
      source: 'meridian',
      publishedAt: '2026-01-27T17:25:00Z',
      body: [
        p(
          'OTTAWA — Canadian fire agencies are preparing for wildfire season weeks earlier than usual after one of the driest and mildest winters on record across much of the west, officials said on Tuesday.',
        ),
        p(
          'Snowpack in large parts of British Columbia and Alberta is less than 60 percent of normal for late January, according to provincial monitoring stations, and several northern regions entered the winter with soils still dry from last summer’s drought.',
        ),
        p(
          'The federal government said it would fund 600 additional seasonal firefighters and had signed leases for eight amphibious water bombers to be available from April rather than June.',
        ),
        quote(
          'We used to plan for a fire season. Now we plan for a fire year with a quiet stretch in the middle of winter, and this winter has not been very quiet.',
          {
            speaker: 'Daniel Okafor-Leblanc',
            role: 'Director of operations at the Canadian Interagency Forest Fire Centre',
            givenTo: 'Meridian',
            context: 'in an interview',
            date: '2026-01-27',
          },
        ),
        p(
          'Some fires that burned last summer in northern Alberta have continued to smoulder underground through the winter, a phenomenon that has become more common in recent years and can lead to early outbreaks when the snow melts.',
        ),
        p(
          'Forecasters said a wet spring could still reduce the risk, but that long-range outlooks favour warmer and drier than normal conditions.',
        ),
      ],
    },

    {
      slug: 'what-a-transatlantic-minerals-pact-means-for-latin-america',
      title: 'What a transatlantic critical minerals pact would mean for Latin America',
      dek: 'Europe wants lithium, copper and rare earths from South America, while governments there want refineries and jobs as well as mines, and the negotiations turn on that gap.',
      sections: ['business', 'europe', 'latin-america'],
      tags: ['trade', 'diplomacy', 'technology'],
      authors: ['jonas-wedekind', 'lucia-ferreira-baptista'],
      source: 'staff',
      publishedAt: '2026-01-28T11:00:00Z',
      body: [
        p(
          'Negotiators from the European Union and five South American governments meet in Lisbon next week for a fourth round of talks on a critical minerals partnership, an agreement that could reshape how the raw materials for batteries and electric motors are mined, processed and traded across the Atlantic.',
        ),
        image(
          'map',
          'Simplified map of North America, South America and Europe with dashed lines linking cities on each continent across the Atlantic.',
          'Most of the lithium, copper and graphite Europe needs for its battery industry would have to cross the Atlantic.',
        ),
        h2('Why Europe wants a deal'),
        p(
          'The EU has set itself targets to mine, refine and recycle a larger share of the critical minerals it uses, but its own deposits are small and slow to develop. Today most of the refining of lithium, graphite and rare earths takes place in Asia, and European officials regard that dependence as a strategic risk.',
        ),
        p(
          'South America offers an alternative. Chile, Argentina and Bolivia hold most of the world’s known lithium resources, Brazil has large deposits of graphite and rare earths, and Chile and Peru are among the world’s largest copper producers. A partnership would give European companies preferential access in return for investment.',
        ),
        h2('What South American governments want'),
        p(
          'Governments in the region have made clear that they do not want to repeat a history in which raw materials were exported cheaply and value was added elsewhere. Their negotiators have tabled a series of demands:',
        ),
        list(false, [
          ['Investment in local refining and battery-component plants, not only in mines'],
          ['Technology transfer and training for engineers and technicians'],
          ['Binding environmental and water-use standards that apply to European companies'],
          ['Consultation rights for Indigenous communities near extraction sites'],
          ['Long-term purchase agreements at prices linked to international benchmarks'],
        ]),
        pullquote(
          'We have been the quarry of other people’s industrial revolutions before. This time we want a seat in the factory.',
          'Chilean mining undersecretary Ignacio Ferrer Madariaga',
        ),
        h2('The sticking points'),
        p(
          'European negotiators have resisted commitments on local processing that would require subsidies from EU budgets, and several member states are wary of rules that would bind their companies to stricter standards abroad than at home. Diplomats on both sides say the question of water use in the arid lithium regions of the Andes is the hardest to resolve.',
        ),
        p(
          'The United States is pursuing similar agreements with several of the same countries, raising the prospect of competing offers. For more on the regional picture, see our ',
          link('Latin America coverage', '/sections/latin-america'),
          '.',
        ),
      ],
    },

    {
      slug: 'measles-cases-in-three-us-states-prompt-school-vaccination-drive',
      title: 'Measles cases in three US states prompt school vaccination drive',
      dek: 'Health officials reported 64 measles cases linked to a single outbreak across Ohio, Indiana and Kentucky, and opened walk-in vaccination clinics at schools in affected counties.',
      sections: ['north-america', 'usa', 'science'],
      tags: ['health'],
      authors: ['staff'],
      source: 'an',
      publishedAt: '2026-01-30T14:10:00Z',
      body: [
        p(
          'State health officials in Ohio, Indiana and Kentucky said on Friday that a measles outbreak first detected in early January had grown to 64 confirmed cases, most of them in unvaccinated children.',
        ),
        p(
          'Eleven people have been admitted to hospital, including four children under the age of five. No deaths have been reported.',
        ),
        p(
          'Health departments in the three states have opened walk-in clinics at schools in the most affected counties, offering the measles, mumps and rubella vaccine free of charge to anyone who has not received both recommended doses.',
        ),
        quote(
          'Measles is one of the most contagious diseases we know. If you are not sure whether your child has had both doses, come and find out. It takes ten minutes.',
          {
            speaker: 'Dr Angela Pryor-Whitfield',
            role: 'Ohio state epidemiologist',
            givenTo: 'reporters',
            context: 'at a news conference',
            date: '2026-01-30',
          },
        ),
        p(
          'Vaccination rates among kindergarten pupils in the affected counties are below 85 percent, well short of the roughly 95 percent that public-health experts say is needed to prevent sustained spread.',
        ),
        p('Officials said the outbreak was traced to an unvaccinated traveller who returned from abroad in December.'),
      ],
    },

    {
      slug: 'venezuela-oil-exports-climb-ahead-of-licence-review',
      title: 'Venezuela’s oil exports climb to a six-year high ahead of licence review',
      dek: 'Shipments averaged about 890,000 barrels a day in January, according to tanker-tracking data, as foreign partners raised output before US licences come up for renewal in April.',
      sections: ['latin-america', 'venezuela', 'business'],
      tags: ['energy', 'sanctions'],
      authors: ['staff'],
      source: 'meridian',
      publishedAt: '2026-02-02T08:30:00Z',
      body: [
        p(
          'Venezuela’s oil exports rose in January to their highest monthly level in six years, according to tanker-tracking data compiled by Meridian, as foreign partners of the state oil company increased production at joint ventures.',
        ),
        p(
          'Shipments averaged about 890,000 barrels a day, up from roughly 780,000 in December. About a third of the crude went to the United States and Europe under licences that allow a handful of foreign companies to operate in the country despite sanctions.',
        ),
        p(
          'The licences are due for review in April, and traders said some companies appeared to be lifting as much oil as possible in case they are not renewed.',
        ),
        quote(
          'Everyone is loading like the window might close, because nobody knows whether it will.',
          {
            speaker: 'Marcela Ugarte',
            role: 'Oil analyst at a Caracas-based consultancy',
            givenTo: 'Meridian',
            context: 'in an interview',
            date: '2026-02-01',
          },
        ),
        p(
          'Venezuela holds some of the largest proven crude reserves in the world, but production collapsed over the past decade because of underinvestment, mismanagement and sanctions. Output has recovered slowly since 2023.',
        ),
        p('The state oil company did not respond to a request for comment.'),
      ],
    },

    {
      slug: 'us-and-venezuelan-envoys-meet-in-barbados-for-talks-on-migration-and-oil',
      title: 'US and Venezuelan envoys meet in Barbados for talks on migration, oil and detainees',
      dek: 'Officials from Washington and Caracas spent two days in Bridgetown discussing deportation flights, oil licences and detained citizens, the highest-level contact between the governments in more than a year.',
      sections: ['latin-america', 'politics', 'usa'],
      tags: ['diplomacy', 'migration', 'energy', 'sanctions'],
      authors: ['staff'],
      source: 'acp',
      publishedAt: '2026-02-03T16:20:00Z',
      body: [
        p(
          'BRIDGETOWN — Senior diplomats from the United States and Venezuela met for two days of talks in Barbados this week, in what both sides described as the most substantive contact between the two governments in more than a year.',
        ),
        p(
          'The closed-door meetings, hosted by the Barbadian foreign ministry at a government guest house outside the capital, covered the resumption of deportation flights, licences allowing foreign companies to lift Venezuelan crude, and the cases of several US citizens held in Venezuelan prisons, according to officials on both sides.',
        ),
        p(
          'No joint statement was issued when the talks ended on Monday evening. But both delegations said they had agreed to meet again before the end of March, and that working groups on migration and consular matters would begin meeting by video link within two weeks.',
        ),
        p(
          'Foreign Minister Elena Ruiz Tavares, who led the Venezuelan delegation, told ACP in an interview that Caracas had pressed for a timetable to ease restrictions on its oil sector in return for cooperation on the return of migrants ordered deported from the United States.',
        ),
        quote(
          'We did not come to Bridgetown to make speeches. We came to see whether there is a version of this relationship in which both countries stop paying for the quarrel. For the first time in a long while, I think the answer might be yes.',
          {
            speaker: 'Elena Ruiz Tavares',
            role: 'Foreign Minister of Venezuela',
            givenTo: 'ACP',
            context: 'in an interview',
            date: '2026-02-02',
          },
        ),
        p(
          'The US delegation was led by Daniel Whitcombe, a deputy assistant secretary of state for Western Hemisphere affairs who has handled contacts with Caracas since last summer. Officials in Washington stressed that no sanctions relief had been offered and that any change would depend on what they called verifiable steps by the Venezuelan government.',
        ),
        quote(
          'This is a conversation, not a concession. We have been clear that the licences are on the table only if we see movement on the detained Americans and on the conditions for this year’s regional elections.',
          {
            speaker: 'Daniel Whitcombe',
            role: 'Deputy Assistant Secretary of State for Western Hemisphere Affairs',
            givenTo: 'Meridian',
            context: 'in an interview',
            date: '2026-02-03',
          },
        ),
        p(
          'Migration has become the most pressing item on the agenda. Deportation flights from the United States to Caracas have been suspended since October after a dispute over landing permits, leaving thousands of Venezuelans with final removal orders in immigration detention or released under supervision.',
        ),
        p(
          'Oil is the other lever. Venezuelan exports reached a six-year high in January, and the licences under which several US and European companies operate in the country come up for review in April. Barbados, which has hosted earlier rounds of talks between the Venezuelan government and its opponents, offered the venue at the request of both delegations, its foreign ministry said.',
        ),
        quote(
          'The president wants American citizens home and he wants an orderly border. If talking in Bridgetown gets us closer to both, we will keep talking. If it does not, we will not.',
          {
            speaker: 'Natalie Ostrander',
            role: 'White House deputy press secretary',
            givenTo: 'reporters',
            context: 'in remarks at a White House briefing',
            date: '2026-02-03',
          },
        ),
        p(
          'Venezuela’s main opposition coalition said in a statement that it had been briefed by US officials before the talks, and urged Washington not to trade electoral guarantees for barrels of oil.',
        ),
        p(
          'Analysts in the region were cautious. Previous rounds of contact between the two governments produced prisoner exchanges and temporary licences, but broke down over disputes about elections and the treatment of opposition politicians.',
        ),
      ],
    },

    {
      slug: 'ledger-briefing-what-the-bridgetown-talks-could-change',
      title: 'Ledger Briefing: what the Bridgetown talks between Washington and Caracas could change',
      dek: 'In this week’s video briefing, our correspondents explain what each side wants from the new contacts and which issues could move first: deportation flights, oil or detainees.',
      sections: ['politics', 'latin-america', 'venezuela'],
      tags: ['diplomacy', 'migration'],
      authors: ['staff'],
      source: 'staff',
      publishedAt: '2026-02-04T10:00:00Z',
      body: [
        p(
          'This week’s ',
          em('Ledger Briefing'),
          ' looks at the talks in Barbados between officials from the United States and Venezuela, the first substantive contact between the two governments in more than a year.',
        ),
        {
          type: 'embed',
          url: 'https://video.example.org/watch/ledger-briefing',
          title: 'Ledger Briefing: the Bridgetown talks explained',
          provider: 'Ledger Video',
        },
        p(
          'Lucía Ferreira Baptista, our Latin America correspondent, and Malcolm Devereux, our North America correspondent, discuss why migration has overtaken oil as Washington’s main concern, and why Caracas wants a calendar rather than promises.',
        ),
        p(
          'They also assess the position of the Venezuelan opposition, which fears being sidelined, and of neighbouring governments in Colombia and Brazil, which host millions of Venezuelan migrants.',
        ),
        p(
          'Read our full report on the talks in the ',
          link('Politics section', '/sections/politics'),
          ', and the views of our columnist Inés Montalbán in ',
          link('Opinion', '/sections/opinion'),
          '.',
        ),
      ],
    },

    {
      slug: 'washington-and-caracas-are-talking-the-hard-part-is-listening',
      title: 'Washington and Caracas are talking again. The hard part will be listening',
      dek: 'The Barbados talks are welcome, but past rounds failed because each side came to collect rather than to trade, and ordinary Venezuelans paid the price every time.',
      sections: ['opinion', 'latin-america', 'venezuela'],
      tags: ['diplomacy', 'migration', 'sanctions'],
      authors: ['ines-montalban'],
      source: 'staff',
      publishedAt: '2026-02-05T19:00:00Z',
      body: [
        p(
          'I have lost count of the number of times I have been told that the United States and Venezuela were about to turn a page. I covered the first of these false dawns from a hotel lobby in Caracas, where the coffee was excellent and the information was not. So forgive me if I greet this week’s talks in Barbados with a cautious half-smile rather than applause.',
        ),
        p(
          'And yet something is different. For once, both governments need something urgently that only the other can give. Washington wants deportation flights to resume and its citizens released. Caracas wants the oil licences renewed and a path out of the sanctions that have hollowed out its economy. Those are the ingredients of a trade, not merely of a photo opportunity.',
        ),
        p(
          'The danger is the one that sank every previous round: each side arrives to collect and leaves the moment it must give. The Venezuelan government has twice signed commitments on electoral conditions that it then ignored. Washington has twice eased pressure and then snapped it back, teaching Caracas that concessions are temporary.',
        ),
        p(
          'If the negotiators want a different result, they should agree on small steps that can be verified quickly: a first deportation flight in exchange for a first licence extension, the release of a named detainee in exchange for the return of seized diplomatic property. Trust is not declared in Bridgetown. It is accumulated, one kept promise at a time.',
        ),
        p(
          'Above all, they should remember who is not at the table. The Venezuelan opposition, the families of political prisoners and the millions of migrants scattered across the hemisphere have the most at stake and the least say. A deal that ignores them will not survive the next election on either side.',
        ),
        p(
          'Our news report on the talks, by the ',
          em('Agence Continentale de Presse'),
          ', is ',
          link('here', '/sections/venezuela'),
          '.',
        ),
      ],
    },

    {
      slug: 'santos-dockworkers-strike-halts-grain-and-container-loading',
      title: 'Santos dockworkers strike, halting grain and container loading at Brazil’s largest port',
      dek: 'Workers at Latin America’s busiest port walked out over pay and automation, delaying at least 14 ships at the start of the soybean export season.',
      sections: ['latin-america', 'brazil', 'business'],
      tags: ['labour', 'trade', 'agriculture'],
      authors: ['lucia-ferreira-baptista'],
      source: 'staff',
      publishedAt: '2026-02-06T07:45:00Z',
      body: [
        ...santosStrikeLead,
        p(
          'The port handles roughly a quarter of Brazil’s foreign trade by value. Previous stoppages there have lasted several days.',
        ),
        p(
          'The port authority said it would meet union representatives at a labour court hearing on Monday. This story will be updated.',
        ),
      ],
      update: {
        at: '2026-02-06T13:10:00Z',
        dek: 'A labour court ordered Santos dockworkers back to work within 24 hours after a morning strike over pay and automation delayed at least 14 ships at Brazil’s largest port.',
        body: [
          ...santosStrikeLead,
          p(
            'A regional labour court on Friday afternoon ordered the union to end the strike within 24 hours, ruling that the port was an essential service and that at least 70 percent of workers must be on duty while negotiations continue.',
          ),
          p(
            'The court also ordered the port authority and the terminal operators to present a written proposal on the automation plans at a mediation session on Tuesday, and barred them from hiring replacement workers in the meantime.',
          ),
          quote(
            'We respect the court. We will be back at the cranes tomorrow, and we will be back at the table on Tuesday with the same demands.',
            {
              speaker: 'Valdir Assunção',
              role: 'President of the Santos port workers’ union',
              givenTo: 'reporters',
              context: 'speaking outside the labour court',
              date: '2026-02-06',
            },
          ),
          p(
            'The port handles roughly a quarter of Brazil’s foreign trade by value. Grain exporters said the delays so far would add several days to loading schedules for February.',
          ),
        ],
      },
    },

    {
      slug: 'letter-grid-argument-applies-to-the-north-sea-too',
      title: 'Letter: The grid argument applies to the North Sea too',
      dek: 'A reader from Rotterdam agrees that Europe’s grid is the real bottleneck and argues that offshore connections between countries deserve the same urgency as those on land.',
      sections: ['letters'],
      tags: ['energy'],
      authors: ['marisol-achterberg'],
      source: 'readers',
      publishedAt: '2026-02-09T12:30:00Z',
      body: [
        p(
          'Henrik Aalders is right that Europe’s energy transition is stuck in the wires (',
          link('Opinion, January 22', '/sections/opinion'),
          '). I would add that the problem does not stop at the coastline.',
        ),
        p(
          'I worked for many years as an engineer on offshore cable projects. Most wind farms in the North Sea are still connected to a single country, as if the sea were divided by fences. When the wind blows hard, Dutch, German and Danish operators all face the same surplus at the same moment, with no way to share it.',
        ),
        p(
          'Hybrid connections that link wind farms to two or more countries at once exist in pilot form and work well. What is missing is agreement on who pays for them and who earns the congestion income.',
        ),
        p(
          'That is exactly the kind of question the European Union was built to answer. I hope our governments will stop treating it as a national matter.',
        ),
        p('Marisol Achterberg, Rotterdam, the Netherlands'),
      ],
    },

    {
      slug: 'atlantic-current-study-finds-signs-of-slowing-in-deep-ocean',
      title: 'Atlantic current study finds new signs of slowing in the deep ocean',
      dek: 'Twenty years of measurements from moored instruments suggest the deep return flow of the Atlantic’s overturning circulation has weakened by about 10 percent, researchers reported.',
      sections: ['science', 'europe'],
      tags: ['climate'],
      authors: ['priya-castellanos'],
      source: 'staff',
      publishedAt: '2026-02-10T09:00:00Z',
      body: [
        p(
          'A network of instruments anchored across the Atlantic has recorded a gradual weakening of the deep, cold current that carries water southward from the Arctic, according to a study published on Tuesday, adding to evidence that one of the ocean’s great circulation systems is slowing.',
        ),
        p(
          'The current forms the return leg of the Atlantic Meridional Overturning Circulation, the system of currents that carries warm surface water north towards Europe and helps keep the continent’s winters mild.',
        ),
        h2('What the researchers measured'),
        p(
          'The team, led by oceanographers in Kiel and Halifax, analysed twenty years of data from moorings that measure temperature, salinity and current speed at depths of up to 5,000 metres. They found that the southward flow of deep water had weakened by about 10 percent since 2005, with most of the decline in the past decade.',
        ),
        quote(
          'Twenty years is short for the ocean, so we are careful about the word trend. But the direction is consistent with what the models predicted, and it is not going the other way.',
          {
            speaker: 'Prof. Ingrid Solheim-Baptiste',
            role: 'Physical oceanographer and lead author of the study',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-02-09',
          },
        ),
        h2('Why it matters'),
        p(
          'A substantial slowdown of the circulation would be expected to cool parts of north-western Europe relative to the rest of the warming world, raise sea levels along the east coast of North America and shift rainfall patterns in West Africa and the Amazon.',
        ),
        p(
          'Scientists disagree over how close the system might be to a tipping point beyond which it would weaken rapidly. The authors said their data could not answer that question but would help test the models used to make such projections.',
        ),
        p(
          'The study was published in the journal ',
          em('Ocean Dynamics Letters'),
          '. More of our climate reporting is in the ',
          link('Science section', '/sections/science'),
          '.',
        ),
      ],
    },

    {
      slug: 'france-orders-new-regional-train-carriages-to-replace-ageing-fleet',
      title: 'France orders 1,200 regional train carriages to replace an ageing fleet',
      dek: 'The state and the regions will share the 6.5 billion euro cost of new carriages for local lines, many of which still run rolling stock built in the 1980s.',
      sections: ['europe', 'france', 'business'],
      tags: ['transport', 'climate'],
      authors: ['staff'],
      source: 'acp',
      publishedAt: '2026-02-11T15:35:00Z',
      body: [
        p(
          'PARIS — France will order 1,200 new carriages for its regional rail network over the next eight years, the transport ministry announced on Wednesday, in a plan worth about 6.5 billion euros to be shared between the state and the regions.',
        ),
        p(
          'The carriages will replace rolling stock on rural and suburban lines, some of which dates from the early 1980s and suffers frequent breakdowns. About a third of the new trains will run on batteries, allowing them to operate on lines that are only partly electrified.',
        ),
        p(
          'The order will be split between two manufacturers with factories in France, the ministry said, and the first deliveries are expected in 2028.',
        ),
        quote(
          'For millions of people who live far from a high-speed line, the regional train is the train. It has been the poor relation for too long.',
          {
            speaker: 'Sébastien Corbière-Amrani',
            role: 'French Minister for Transport',
            givenTo: 'ACP',
            context: 'in an interview',
            date: '2026-02-11',
          },
        ),
        p(
          'Passenger associations welcomed the order but said that new trains would make little difference without more frequent services and investment in track, much of which is subject to speed restrictions.',
        ),
        p(
          'Regional rail ridership in France rose by about 8 percent last year, according to the national operator, helped by discounted fares for young people.',
        ),
      ],
    },

    {
      slug: 'letter-venezuelan-families-in-canada-are-watching-the-talks',
      title: 'Letter: Venezuelan families in Canada are watching the talks closely',
      dek: 'A reader in Toronto writes that the diaspora’s hopes for the Barbados talks are practical: consular services, documents and the chance to visit relatives without fear.',
      sections: ['letters'],
      tags: ['diplomacy', 'migration'],
      authors: ['gareth-pinto'],
      source: 'readers',
      publishedAt: '2026-02-12T18:00:00Z',
      body: [
        p(
          'Inés Montalbán’s column on the talks between Washington and Caracas (February 5) rightly says that the people with the most at stake are not at the table.',
        ),
        p(
          'My wife’s family left Maracaibo nine years ago and now lives between Toronto and Montreal. Their hopes for these talks are not grand. They would like to renew a passport without waiting two years, to have their degrees recognised, and to visit an elderly aunt without worrying about what happens at the airport.',
        ),
        p(
          'Canada is not a party to the negotiations, but it hosts a growing Venezuelan community and has its own interest in restoring consular services. I would like to see Ottawa say so publicly.',
        ),
        p('Thank you for covering this story with more patience than most. It deserves it.'),
        p('Gareth Pinto, Toronto, Canada'),
      ],
    },

    {
      slug: 'ottawa-and-washington-open-talks-on-cross-border-power-grid',
      title: 'Ottawa and Washington open talks on expanding the cross-border power grid',
      dek: 'Officials from both countries agreed to study new transmission lines that would carry Canadian hydroelectric power to the north-eastern United States and US solar power north in summer.',
      sections: ['north-america', 'business', 'canada', 'usa'],
      tags: ['energy', 'trade'],
      authors: ['malcolm-devereux'],
      source: 'staff',
      publishedAt: '2026-02-13T10:20:00Z',
      body: [
        p(
          'WASHINGTON — Energy officials from Canada and the United States on Thursday began talks on expanding the transmission lines that connect the two countries’ electricity grids, seeking to ease shortages that both expect as demand from data centres and electric vehicles grows.',
        ),
        p(
          'The working group will study at least four new or upgraded connections, including a line linking hydroelectric dams in Quebec and Labrador with New England and New York, and a link between the prairie provinces and the upper Midwest.',
        ),
        p(
          'The talks come despite a year of tension over tariffs between the two governments. Officials on both sides described electricity as an area where cooperation was in each country’s interest.',
        ),
        quote(
          'Electrons do not read tariff schedules. Our winter peak is their summer peak, and a good wire lets each of us lend the other what we have spare.',
          {
            speaker: 'Marie-Claude Thériault-Singh',
            role: 'Canadian Deputy Minister of Energy and Natural Resources',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-02-12',
          },
        ),
        p(
          'Cross-border lines have faced fierce local opposition in the past. A transmission project through Maine was delayed for years by a referendum and litigation before it was completed.',
        ),
        p('The working group is due to report to both governments by the end of the year.'),
      ],
    },

    {
      slug: 'canary-islands-migrant-arrivals-fall-as-routes-shift',
      title: 'Migrant arrivals in the Canary Islands fall by half as routes shift east',
      dek: 'Arrivals by sea in the Canaries fell sharply in January compared with a year earlier, while crossings towards the Balearic Islands from Algeria rose, Spanish government data showed.',
      sections: ['europe', 'spain', 'politics'],
      tags: ['migration'],
      authors: ['staff'],
      source: 'staff',
      publishedAt: '2026-02-16T08:10:00Z',
      body: [
        p(
          'The number of migrants reaching Spain’s Canary Islands by boat fell by about half in January compared with the same month last year, according to interior ministry figures published on Monday, as increased patrols off the coast of West Africa pushed departures towards other routes.',
        ),
        p(
          'At the same time, arrivals in the Balearic Islands, mostly on small boats from Algeria, more than doubled, straining reception facilities in Mallorca and Formentera.',
        ),
        p(
          'The government attributed the decline on the Atlantic route to cooperation agreements with Mauritania and Senegal, which include joint patrols and funding for border agencies.',
        ),
        quote(
          'Routes do not disappear, they move. What we are seeing in the Balearics is the same people, making the same desperate calculation, on a different stretch of water.',
          {
            speaker: 'Carmen Ibáñez Roldán',
            role: 'Spokeswoman for a Spanish refugee aid organisation',
            givenTo: 'The Hemisphere Ledger',
            context: 'in a telephone interview',
            date: '2026-02-15',
          },
        ),
        p(
          'The regional government of the Balearic Islands has asked Madrid for emergency funding and for migrants to be transferred more quickly to the mainland.',
        ),
        p(
          'Spain’s parliament is due to debate a bill this spring that would distribute unaccompanied minors more evenly among the country’s regions.',
        ),
      ],
    },

    {
      slug: 'us-states-race-to-set-rules-for-ai-in-hiring',
      title: 'US states race to set rules for artificial intelligence in hiring',
      dek: 'At least nine state legislatures are considering bills that would require employers to disclose and audit automated hiring tools, in the absence of a federal standard.',
      sections: ['north-america', 'usa', 'politics'],
      tags: ['technology', 'labour'],
      authors: ['malcolm-devereux', 'priya-castellanos'],
      source: 'staff',
      publishedAt: '2026-02-17T19:30:00Z',
      body: [
        p(
          'WASHINGTON — Lawmakers in at least nine US states are considering bills this year that would regulate the use of artificial intelligence in hiring, creating a patchwork of rules that employers say will be difficult to follow.',
        ),
        p(
          'Most of the proposals would require companies to tell job applicants when automated tools are used to screen CVs or assess video interviews, and to commission independent audits checking whether the tools disadvantage applicants by race, sex, age or disability.',
        ),
        p(
          'A smaller number would give applicants the right to request a human review of any automated rejection. Bills in two states would make employers liable for discriminatory outcomes even when the software was supplied by a third party.',
        ),
        quote(
          'If software is deciding who gets an interview, people deserve to know that, and to know somebody has checked whether it works fairly. That is not a radical idea.',
          {
            speaker: 'State Senator Lorraine Abernathy-Cole',
            role: 'Sponsor of a hiring-algorithm bill in the Colorado legislature',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-02-16',
          },
        ),
        p(
          'Business groups have urged Congress to adopt a single national standard that would override state laws, but federal legislation has stalled.',
        ),
        p(
          'Researchers who study automated hiring say that audits are only useful if they are based on real applicant data, which many vendors are reluctant to share.',
        ),
      ],
    },

    {
      slug: 'german-car-suppliers-announce-9000-job-cuts',
      title: 'German car suppliers announce 9,000 job cuts as the shift to electric bites',
      dek: 'Three large suppliers of engine and transmission parts said they would close or shrink plants in Bavaria and Baden-Württemberg over the next three years.',
      sections: ['europe', 'business', 'germany'],
      tags: ['labour', 'technology'],
      authors: ['jonas-wedekind'],
      source: 'staff',
      publishedAt: '2026-02-19T11:45:00Z',
      body: [
        p(
          'BERLIN — Three of Germany’s largest automotive suppliers announced plans this week to cut a combined 9,000 jobs, mostly at factories in the south of the country that make parts for petrol and diesel engines.',
        ),
        p(
          'The companies said demand for components such as fuel-injection systems and gearboxes was falling faster than expected as carmakers shift production to electric models, which need fewer and different parts.',
        ),
        p(
          'The cuts will be spread over three years and will include the closure of two plants in Bavaria and one in Baden-Württemberg. The companies said they would try to avoid compulsory redundancies through early retirement and transfers.',
        ),
        quote(
          'These are not jobs that are moving to another town. They are jobs that are disappearing, and the new ones are not being created here fast enough.',
          {
            speaker: 'Stefanie Kowalczyk',
            role: 'Regional leader of the metalworkers’ union in Bavaria',
            givenTo: 'The Hemisphere Ledger',
            context: 'in an interview',
            date: '2026-02-18',
          },
        ),
        p(
          'The announcements add to pressure on the federal government to extend support for workers in the car industry, which employs more than 700,000 people in Germany directly.',
        ),
        p('Economy ministry officials said they were discussing retraining programmes with the affected states.'),
      ],
    },

    {
      slug: 'venezuela-and-us-set-up-technical-teams-on-deportation-flights',
      title: 'Venezuela and US set up technical teams to restart deportation flights',
      dek: 'Two weeks after the Barbados talks, the governments named officials to a working group on migration, the first concrete step since the meetings in Bridgetown.',
      sections: ['latin-america', 'venezuela', 'politics'],
      tags: ['diplomacy', 'migration'],
      authors: ['lucia-ferreira-baptista'],
      source: 'staff',
      publishedAt: '2026-02-20T14:00:00Z',
      body: [
        p(
          'CARACAS — Venezuela and the United States have each named officials to a technical working group on migration, the foreign ministry in Caracas said on Friday, the first concrete result of talks held in Barbados earlier this month.',
        ),
        p(
          'The group, which will meet by video link, is expected to agree on procedures for resuming deportation flights, including landing permits, the identification of passengers and the presence of consular staff.',
        ),
        p(
          'A US official, speaking on condition of anonymity because the talks are not public, said a first flight could take place in March if the technical details were settled, but stressed that no date had been agreed.',
        ),
        p('The State Department confirmed that a working group had been formed but declined to name its members.'),
        p(
          'A second working group on consular matters, which would address the cases of detained US citizens, has not yet met. Diplomats said its composition was still being discussed. Our earlier coverage of the talks is in the ',
          link('Venezuela section', '/sections/venezuela'),
          '.',
        ),
      ],
    },
  ],
}
