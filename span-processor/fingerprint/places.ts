// Country and US/CA region names → ISO codes. Compact tables instead of a dependency: vendors only
// need the alpha-2 code (`us`, `ca`), and the names people type are a small, stable set.

/** `code:name|name|…` — English, German, French (and a few local) spellings, plus alpha-3 codes.
 *  Names are matched after lowercasing, stripping accents and punctuation, so `États-Unis`,
 *  `etats unis` and `U.S.A.` all land on the same key. */
const COUNTRY_TABLE = [
  'us:united states|united states of america|usa|us of a|america|vereinigte staaten|vereinigte staaten von amerika|etats unis|etats unis d amerique',
  'ca:canada|kanada|can',
  'mx:mexico|mexiko|mexique|mex',
  'br:brazil|brasilien|bresil|brasil|bra',
  'ar:argentina|argentinien|argentine|arg',
  'cl:chile|chili|chl',
  'co:colombia|kolumbien|colombie|col',
  'pe:peru|perou|per',
  'gb:united kingdom|uk|great britain|britain|england|scotland|wales|northern ireland|vereinigtes konigreich|grossbritannien|royaume uni|grande bretagne|angleterre|gbr',
  'ie:ireland|irland|irlande|irl',
  'de:germany|deutschland|allemagne|deu|bundesrepublik deutschland',
  'at:austria|osterreich|oesterreich|autriche|aut',
  'ch:switzerland|schweiz|suisse|svizzera|che',
  'fr:france|frankreich|fra',
  'be:belgium|belgien|belgique|bel',
  'nl:netherlands|the netherlands|holland|niederlande|pays bas|nederland|nld',
  'lu:luxembourg|luxemburg|lux',
  'it:italy|italien|italie|italia|ita',
  'es:spain|spanien|espagne|espana|esp',
  'pt:portugal|prt',
  'dk:denmark|danemark|danemark|dnk',
  'se:sweden|schweden|suede|sverige|swe',
  'no:norway|norwegen|norvege|norge|nor',
  'fi:finland|finnland|finlande|suomi|fin',
  'is:iceland|island|islande|isl',
  'pl:poland|polen|pologne|polska|pol',
  'cz:czech republic|czechia|tschechien|tschechische republik|republique tcheque|tchequie|cze',
  'sk:slovakia|slowakei|slovaquie|svk',
  'hu:hungary|ungarn|hongrie|hun',
  'ro:romania|rumanien|roumanie|rou',
  'bg:bulgaria|bulgarien|bulgarie|bgr',
  'gr:greece|griechenland|grece|grc',
  'hr:croatia|kroatien|croatie|hrv',
  'si:slovenia|slowenien|slovenie|svn',
  'rs:serbia|serbien|serbie|srb',
  'ua:ukraine|ukr',
  'ru:russia|russian federation|russland|russie|rus',
  'tr:turkey|turkiye|turkei|turquie|tur',
  'ee:estonia|estland|estonie|est',
  'lv:latvia|lettland|lettonie|lva',
  'lt:lithuania|litauen|lituanie|ltu',
  'il:israel|isr',
  'ae:united arab emirates|uae|vereinigte arabische emirate|emirats arabes unis|are',
  'sa:saudi arabia|saudi arabien|arabie saoudite|sau',
  'eg:egypt|agypten|egypte|egy',
  'za:south africa|sudafrika|afrique du sud|zaf',
  'ng:nigeria|nga',
  'ke:kenya|kenia|ken',
  'ma:morocco|marokko|maroc|mar',
  'in:india|indien|inde|ind',
  'pk:pakistan|pak',
  'bd:bangladesh|bgd',
  'cn:china|chine|people s republic of china|chn',
  'jp:japan|japon|jpn',
  'kr:south korea|korea|republic of korea|sudkorea|coree du sud|kor',
  'tw:taiwan|twn',
  'hk:hong kong|hongkong|hkg',
  'sg:singapore|singapur|singapour|sgp',
  'my:malaysia|malaisie|mys',
  'th:thailand|thailande|tha',
  'vn:vietnam|viet nam|vnm',
  'ph:philippines|philippinen|phl',
  'id:indonesia|indonesien|indonesie|idn',
  'au:australia|australien|australie|aus',
  'nz:new zealand|neuseeland|nouvelle zelande|nzl',
].join(';');

const US_STATES =
  'al:alabama;ak:alaska;az:arizona;ar:arkansas;ca:california;co:colorado;ct:connecticut;de:delaware;' +
  'dc:district of columbia|washington dc;fl:florida;ga:georgia;hi:hawaii;id:idaho;il:illinois;in:indiana;' +
  'ia:iowa;ks:kansas;ky:kentucky;la:louisiana;me:maine;md:maryland;ma:massachusetts;mi:michigan;' +
  'mn:minnesota;ms:mississippi;mo:missouri;mt:montana;ne:nebraska;nv:nevada;nh:new hampshire;' +
  'nj:new jersey;nm:new mexico;ny:new york;nc:north carolina;nd:north dakota;oh:ohio;ok:oklahoma;' +
  'or:oregon;pa:pennsylvania;ri:rhode island;sc:south carolina;sd:south dakota;tn:tennessee;tx:texas;' +
  'ut:utah;vt:vermont;va:virginia;wa:washington;wv:west virginia;wi:wisconsin;wy:wyoming;' +
  'pr:puerto rico;gu:guam;vi:us virgin islands|virgin islands;as:american samoa;mp:northern mariana islands';

const CA_PROVINCES =
  'ab:alberta;bc:british columbia|colombie britannique;mb:manitoba;nb:new brunswick|nouveau brunswick;' +
  'nl:newfoundland and labrador|newfoundland|terre neuve et labrador;ns:nova scotia|nouvelle ecosse;' +
  'on:ontario;pe:prince edward island|ile du prince edouard;qc:quebec;sk:saskatchewan;' +
  'nt:northwest territories|territoires du nord ouest;nu:nunavut;yt:yukon';

const ACCENTS = /[\u0300-\u036f]/g;
const NOT_ALNUM = /[^a-z0-9]+/g;
const EDGE_SPACE = /^ | $/g;
const SPACES = / /g;
const ESZETT = /ß/g;

/** Lowercase, strip accents, turn punctuation runs into one space: `U.S.A.` → `u s a`, then the
 *  table keys are built the same way so both sides agree. */
export function placeKey(text: string): string {
  return text.toLowerCase().replace(ESZETT, 'ss').normalize('NFD').replace(ACCENTS, '').replace(NOT_ALNUM, ' ').replace(EDGE_SPACE, '');
}

function parseTable(table: string, into: Map<string, string>, codes: Set<string>): void {
  for (const row of table.split(';')) {
    const [code, names] = row.split(':');
    codes.add(code);
    into.set(code, code);
    for (const name of names.split('|')) {
      const k = placeKey(name);
      into.set(k, code);
      // `usa` vs `u s a`: dotted abbreviations collapse to the same key without spaces.
      if (k.length <= 9) into.set(k.replace(SPACES, ''), code);
    }
  }
}

const COUNTRIES = new Map<string, string>();
const COUNTRY_CODES = new Set<string>();
parseTable(COUNTRY_TABLE, COUNTRIES, COUNTRY_CODES);

const REGIONS = new Map<string, string>();
const REGION_CODES = new Set<string>();
parseTable(US_STATES, REGIONS, REGION_CODES);
parseTable(CA_PROVINCES, REGIONS, REGION_CODES);

const TWO_LETTERS = /^[a-z]{2}$/;

/** ISO 3166-1 alpha-2, lowercase; undefined when the text is not a known name or a 2-letter code. */
export function countryCode(text: string): string | undefined {
  const k = placeKey(text);
  const hit = COUNTRIES.get(k) ?? COUNTRIES.get(k.replace(SPACES, ''));
  if (hit) return hit;
  return TWO_LETTERS.test(k) ? k : undefined;
}

/** 2-letter US state / Canadian province code, lowercase; undefined for anything else. */
export function usCaRegionCode(text: string): string | undefined {
  const k = placeKey(text);
  return REGIONS.get(k);
}
