// SuperOffice "TZ location" table: maps the codes (and the few documented numeric ids) accepted by the
// SO-TimeZone header to IANA zones, plus resolveTimeZone() for header values (code, id or IANA name).

export interface TimeZoneLocation {
  /** SuperOffice's numeric location id; only the ids documented by SuperOffice are known. */
  id?: number;
  /** ISO 3166-1 country code, optionally with an ISO 3166-2 region (`US-NY`), or `UTC`. */
  code: string;
  iana: string;
}

// Multi-zone countries also get a bare country entry mapped to the capital's zone, because clients send
// bare country codes too; the region entries below are the precise ones.
// biome-ignore format: a table, several short rows to a line
export const timeZoneTable: readonly TimeZoneLocation[] = Object.freeze([
  { id: 1, code: 'UTC', iana: 'UTC' },

  // Europe
  { code: 'AD', iana: 'Europe/Andorra' }, { code: 'AL', iana: 'Europe/Tirane' }, { code: 'AT', iana: 'Europe/Vienna' },
  { code: 'AX', iana: 'Europe/Mariehamn' }, { code: 'BA', iana: 'Europe/Sarajevo' }, { code: 'BE', iana: 'Europe/Brussels' },
  { code: 'BG', iana: 'Europe/Sofia' }, { code: 'BY', iana: 'Europe/Minsk' }, { code: 'CH', iana: 'Europe/Zurich' },
  { code: 'CY', iana: 'Asia/Nicosia' }, { code: 'CZ', iana: 'Europe/Prague' }, { code: 'DE', iana: 'Europe/Berlin' },
  { id: 140, code: 'DK', iana: 'Europe/Copenhagen' }, { code: 'EE', iana: 'Europe/Tallinn' },
  { code: 'ES', iana: 'Europe/Madrid' }, { code: 'ES-CN', iana: 'Atlantic/Canary' }, { code: 'FI', iana: 'Europe/Helsinki' },
  { code: 'FO', iana: 'Atlantic/Faroe' }, { id: 156, code: 'FR', iana: 'Europe/Paris' }, { code: 'GB', iana: 'Europe/London' },
  { code: 'GG', iana: 'Europe/Guernsey' }, { code: 'GI', iana: 'Europe/Gibraltar' }, { code: 'GR', iana: 'Europe/Athens' },
  { code: 'HR', iana: 'Europe/Zagreb' }, { code: 'HU', iana: 'Europe/Budapest' }, { code: 'IE', iana: 'Europe/Dublin' },
  { code: 'IM', iana: 'Europe/Isle_of_Man' }, { code: 'IS', iana: 'Atlantic/Reykjavik' }, { code: 'IT', iana: 'Europe/Rome' },
  { code: 'JE', iana: 'Europe/Jersey' }, { code: 'LI', iana: 'Europe/Vaduz' }, { code: 'LT', iana: 'Europe/Vilnius' },
  { code: 'LU', iana: 'Europe/Luxembourg' }, { code: 'LV', iana: 'Europe/Riga' }, { code: 'MC', iana: 'Europe/Monaco' },
  { code: 'MD', iana: 'Europe/Chisinau' }, { code: 'ME', iana: 'Europe/Podgorica' }, { code: 'MK', iana: 'Europe/Skopje' },
  { code: 'MT', iana: 'Europe/Malta' }, { code: 'NL', iana: 'Europe/Amsterdam' }, { id: 261, code: 'NO', iana: 'Europe/Oslo' },
  { code: 'PL', iana: 'Europe/Warsaw' }, { code: 'PT', iana: 'Europe/Lisbon' }, { code: 'PT-20', iana: 'Atlantic/Azores' },
  { code: 'PT-30', iana: 'Atlantic/Madeira' }, { code: 'RO', iana: 'Europe/Bucharest' }, { code: 'RS', iana: 'Europe/Belgrade' },
  { code: 'SE', iana: 'Europe/Stockholm' }, { code: 'SI', iana: 'Europe/Ljubljana' }, { code: 'SJ', iana: 'Arctic/Longyearbyen' },
  { code: 'SK', iana: 'Europe/Bratislava' }, { code: 'SM', iana: 'Europe/San_Marino' }, { code: 'TR', iana: 'Europe/Istanbul' },
  { code: 'UA', iana: 'Europe/Kyiv' }, { code: 'VA', iana: 'Europe/Vatican' },

  // Russia (bare RU = Moscow)
  { code: 'RU', iana: 'Europe/Moscow' }, { code: 'RU-MOW', iana: 'Europe/Moscow' }, { code: 'RU-SPE', iana: 'Europe/Moscow' },
  { code: 'RU-TA', iana: 'Europe/Moscow' }, { code: 'RU-KGD', iana: 'Europe/Kaliningrad' }, { code: 'RU-SAM', iana: 'Europe/Samara' },
  { code: 'RU-VGG', iana: 'Europe/Volgograd' }, { code: 'RU-SVE', iana: 'Asia/Yekaterinburg' }, { code: 'RU-OMS', iana: 'Asia/Omsk' },
  { code: 'RU-NVS', iana: 'Asia/Novosibirsk' }, { code: 'RU-KYA', iana: 'Asia/Krasnoyarsk' }, { code: 'RU-IRK', iana: 'Asia/Irkutsk' },
  { code: 'RU-SA', iana: 'Asia/Yakutsk' }, { code: 'RU-PRI', iana: 'Asia/Vladivostok' }, { code: 'RU-KHA', iana: 'Asia/Vladivostok' },
  { code: 'RU-SAK', iana: 'Asia/Sakhalin' }, { code: 'RU-MAG', iana: 'Asia/Magadan' }, { code: 'RU-KAM', iana: 'Asia/Kamchatka' },
  { code: 'RU-CHU', iana: 'Asia/Anadyr' },

  // North America, Central America, Caribbean
  { code: 'US', iana: 'America/New_York' }, { code: 'CA', iana: 'America/Toronto' }, { code: 'MX', iana: 'America/Mexico_City' },
  { code: 'AG', iana: 'America/Antigua' }, { code: 'AI', iana: 'America/Anguilla' }, { code: 'AW', iana: 'America/Aruba' },
  { code: 'BB', iana: 'America/Barbados' }, { code: 'BL', iana: 'America/St_Barthelemy' }, { code: 'BM', iana: 'Atlantic/Bermuda' },
  { code: 'BQ', iana: 'America/Kralendijk' }, { code: 'BS', iana: 'America/Nassau' }, { code: 'BZ', iana: 'America/Belize' },
  { code: 'CR', iana: 'America/Costa_Rica' }, { code: 'CU', iana: 'America/Havana' }, { code: 'CW', iana: 'America/Curacao' },
  { code: 'DM', iana: 'America/Dominica' }, { code: 'DO', iana: 'America/Santo_Domingo' }, { code: 'GD', iana: 'America/Grenada' },
  { code: 'GL', iana: 'America/Nuuk' }, { code: 'GP', iana: 'America/Guadeloupe' }, { code: 'GT', iana: 'America/Guatemala' },
  { code: 'HN', iana: 'America/Tegucigalpa' }, { code: 'HT', iana: 'America/Port-au-Prince' }, { code: 'JM', iana: 'America/Jamaica' },
  { code: 'KN', iana: 'America/St_Kitts' }, { code: 'KY', iana: 'America/Cayman' }, { code: 'LC', iana: 'America/St_Lucia' },
  { code: 'MF', iana: 'America/Marigot' }, { code: 'MQ', iana: 'America/Martinique' }, { code: 'MS', iana: 'America/Montserrat' },
  { code: 'NI', iana: 'America/Managua' }, { code: 'PA', iana: 'America/Panama' }, { code: 'PM', iana: 'America/Miquelon' },
  { code: 'PR', iana: 'America/Puerto_Rico' }, { code: 'SV', iana: 'America/El_Salvador' }, { code: 'SX', iana: 'America/Lower_Princes' },
  { code: 'TC', iana: 'America/Grand_Turk' }, { code: 'TT', iana: 'America/Port_of_Spain' }, { code: 'VC', iana: 'America/St_Vincent' },
  { code: 'VG', iana: 'America/Tortola' }, { code: 'VI', iana: 'America/St_Thomas' },

  // United States: states + DC (zone of most of the state), then inhabited territories
  { code: 'US-AL', iana: 'America/Chicago' }, { code: 'US-AK', iana: 'America/Anchorage' }, { code: 'US-AZ', iana: 'America/Phoenix' },
  { code: 'US-AR', iana: 'America/Chicago' }, { id: 425, code: 'US-CA', iana: 'America/Los_Angeles' },
  { code: 'US-CO', iana: 'America/Denver' }, { code: 'US-CT', iana: 'America/New_York' }, { code: 'US-DE', iana: 'America/New_York' },
  { code: 'US-DC', iana: 'America/New_York' }, { code: 'US-FL', iana: 'America/New_York' }, { code: 'US-GA', iana: 'America/New_York' },
  { id: 433, code: 'US-HI', iana: 'Pacific/Honolulu' }, { code: 'US-ID', iana: 'America/Boise' }, { code: 'US-IL', iana: 'America/Chicago' },
  { code: 'US-IN', iana: 'America/Indiana/Indianapolis' }, { code: 'US-IA', iana: 'America/Chicago' }, { code: 'US-KS', iana: 'America/Chicago' },
  { code: 'US-KY', iana: 'America/New_York' }, { code: 'US-LA', iana: 'America/Chicago' }, { code: 'US-ME', iana: 'America/New_York' },
  { code: 'US-MD', iana: 'America/New_York' }, { code: 'US-MA', iana: 'America/New_York' }, { code: 'US-MI', iana: 'America/Detroit' },
  { code: 'US-MN', iana: 'America/Chicago' }, { code: 'US-MS', iana: 'America/Chicago' }, { code: 'US-MO', iana: 'America/Chicago' },
  { code: 'US-MT', iana: 'America/Denver' }, { code: 'US-NE', iana: 'America/Chicago' }, { code: 'US-NV', iana: 'America/Los_Angeles' },
  { code: 'US-NH', iana: 'America/New_York' }, { code: 'US-NJ', iana: 'America/New_York' }, { code: 'US-NM', iana: 'America/Denver' },
  { id: 460, code: 'US-NY', iana: 'America/New_York' }, { code: 'US-NC', iana: 'America/New_York' },
  { code: 'US-ND', iana: 'America/Chicago' }, { code: 'US-OH', iana: 'America/New_York' }, { code: 'US-OK', iana: 'America/Chicago' },
  { code: 'US-OR', iana: 'America/Los_Angeles' }, { code: 'US-PA', iana: 'America/New_York' }, { code: 'US-RI', iana: 'America/New_York' },
  { code: 'US-SC', iana: 'America/New_York' }, { code: 'US-SD', iana: 'America/Chicago' }, { code: 'US-TN', iana: 'America/Chicago' },
  { code: 'US-TX', iana: 'America/Chicago' }, { code: 'US-UT', iana: 'America/Denver' }, { code: 'US-VT', iana: 'America/New_York' },
  { code: 'US-VA', iana: 'America/New_York' }, { code: 'US-WA', iana: 'America/Los_Angeles' }, { code: 'US-WV', iana: 'America/New_York' },
  { code: 'US-WI', iana: 'America/Chicago' }, { code: 'US-WY', iana: 'America/Denver' },
  { code: 'US-PR', iana: 'America/Puerto_Rico' }, { code: 'US-VI', iana: 'America/St_Thomas' }, { code: 'US-GU', iana: 'Pacific/Guam' },
  { code: 'US-MP', iana: 'Pacific/Saipan' }, { code: 'US-AS', iana: 'Pacific/Pago_Pago' },

  // Canada: provinces and territories
  { code: 'CA-AB', iana: 'America/Edmonton' }, { code: 'CA-BC', iana: 'America/Vancouver' }, { code: 'CA-MB', iana: 'America/Winnipeg' },
  { code: 'CA-NB', iana: 'America/Moncton' }, { code: 'CA-NL', iana: 'America/St_Johns' }, { code: 'CA-NS', iana: 'America/Halifax' },
  { code: 'CA-NT', iana: 'America/Yellowknife' }, { code: 'CA-NU', iana: 'America/Iqaluit' }, { code: 'CA-ON', iana: 'America/Toronto' },
  { code: 'CA-PE', iana: 'America/Halifax' }, { id: 114, code: 'CA-QC', iana: 'America/Toronto' },
  { code: 'CA-SK', iana: 'America/Regina' }, { code: 'CA-YT', iana: 'America/Whitehorse' },

  // Mexico: states whose zone differs from the capital, plus the largest ones
  { code: 'MX-CMX', iana: 'America/Mexico_City' }, { code: 'MX-MEX', iana: 'America/Mexico_City' },
  { code: 'MX-JAL', iana: 'America/Mexico_City' }, { code: 'MX-NLE', iana: 'America/Monterrey' }, { code: 'MX-YUC', iana: 'America/Merida' },
  { code: 'MX-ROO', iana: 'America/Cancun' }, { code: 'MX-BCN', iana: 'America/Tijuana' }, { code: 'MX-BCS', iana: 'America/Mazatlan' },
  { code: 'MX-SIN', iana: 'America/Mazatlan' }, { code: 'MX-SON', iana: 'America/Hermosillo' }, { code: 'MX-CHH', iana: 'America/Chihuahua' },

  // South America
  { code: 'AR', iana: 'America/Argentina/Buenos_Aires' }, { code: 'BO', iana: 'America/La_Paz' }, { code: 'BR', iana: 'America/Sao_Paulo' },
  { code: 'CL', iana: 'America/Santiago' }, { code: 'CO', iana: 'America/Bogota' }, { code: 'EC', iana: 'America/Guayaquil' },
  { code: 'FK', iana: 'Atlantic/Stanley' }, { code: 'GF', iana: 'America/Cayenne' }, { code: 'GS', iana: 'Atlantic/South_Georgia' },
  { code: 'GY', iana: 'America/Guyana' }, { code: 'PE', iana: 'America/Lima' }, { code: 'PY', iana: 'America/Asuncion' },
  { code: 'SR', iana: 'America/Paramaribo' }, { code: 'UY', iana: 'America/Montevideo' }, { code: 'VE', iana: 'America/Caracas' },

  // Brazil: all 26 states + the federal district
  { code: 'BR-AC', iana: 'America/Rio_Branco' }, { code: 'BR-AL', iana: 'America/Maceio' }, { code: 'BR-AM', iana: 'America/Manaus' },
  { code: 'BR-AP', iana: 'America/Belem' }, { code: 'BR-BA', iana: 'America/Bahia' }, { code: 'BR-CE', iana: 'America/Fortaleza' },
  { code: 'BR-DF', iana: 'America/Sao_Paulo' }, { code: 'BR-ES', iana: 'America/Sao_Paulo' }, { code: 'BR-GO', iana: 'America/Sao_Paulo' },
  { code: 'BR-MA', iana: 'America/Fortaleza' }, { code: 'BR-MG', iana: 'America/Sao_Paulo' }, { code: 'BR-MS', iana: 'America/Campo_Grande' },
  { code: 'BR-MT', iana: 'America/Cuiaba' }, { code: 'BR-PA', iana: 'America/Belem' }, { code: 'BR-PB', iana: 'America/Fortaleza' },
  { code: 'BR-PE', iana: 'America/Recife' }, { code: 'BR-PI', iana: 'America/Fortaleza' }, { code: 'BR-PR', iana: 'America/Sao_Paulo' },
  { code: 'BR-RJ', iana: 'America/Sao_Paulo' }, { code: 'BR-RN', iana: 'America/Fortaleza' }, { code: 'BR-RO', iana: 'America/Porto_Velho' },
  { code: 'BR-RR', iana: 'America/Boa_Vista' }, { code: 'BR-RS', iana: 'America/Sao_Paulo' }, { code: 'BR-SC', iana: 'America/Sao_Paulo' },
  { code: 'BR-SE', iana: 'America/Maceio' }, { code: 'BR-SP', iana: 'America/Sao_Paulo' }, { code: 'BR-TO', iana: 'America/Araguaina' },

  // Asia and the Middle East
  { code: 'AE', iana: 'Asia/Dubai' }, { code: 'AF', iana: 'Asia/Kabul' }, { code: 'AM', iana: 'Asia/Yerevan' },
  { code: 'AZ', iana: 'Asia/Baku' }, { id: 50, code: 'BD', iana: 'Asia/Dhaka' }, { code: 'BH', iana: 'Asia/Bahrain' },
  { code: 'BN', iana: 'Asia/Brunei' }, { code: 'BT', iana: 'Asia/Thimphu' }, { code: 'CC', iana: 'Indian/Cocos' },
  { code: 'CN', iana: 'Asia/Shanghai' }, { code: 'CX', iana: 'Indian/Christmas' }, { code: 'GE', iana: 'Asia/Tbilisi' },
  { code: 'HK', iana: 'Asia/Hong_Kong' }, { code: 'ID', iana: 'Asia/Jakarta' }, { code: 'IL', iana: 'Asia/Jerusalem' },
  { code: 'IN', iana: 'Asia/Kolkata' }, { code: 'IO', iana: 'Indian/Chagos' }, { code: 'IQ', iana: 'Asia/Baghdad' },
  { code: 'IR', iana: 'Asia/Tehran' }, { code: 'JO', iana: 'Asia/Amman' }, { code: 'JP', iana: 'Asia/Tokyo' },
  { code: 'KG', iana: 'Asia/Bishkek' }, { code: 'KH', iana: 'Asia/Phnom_Penh' }, { code: 'KP', iana: 'Asia/Pyongyang' },
  { code: 'KR', iana: 'Asia/Seoul' }, { code: 'KW', iana: 'Asia/Kuwait' }, { code: 'KZ', iana: 'Asia/Almaty' },
  { code: 'LA', iana: 'Asia/Vientiane' }, { code: 'LB', iana: 'Asia/Beirut' }, { code: 'LK', iana: 'Asia/Colombo' },
  { code: 'MM', iana: 'Asia/Yangon' }, { code: 'MN', iana: 'Asia/Ulaanbaatar' }, { code: 'MO', iana: 'Asia/Macau' },
  { code: 'MV', iana: 'Indian/Maldives' }, { code: 'MY', iana: 'Asia/Kuala_Lumpur' }, { code: 'NP', iana: 'Asia/Kathmandu' },
  { code: 'OM', iana: 'Asia/Muscat' }, { code: 'PH', iana: 'Asia/Manila' }, { code: 'PK', iana: 'Asia/Karachi' },
  { code: 'PS', iana: 'Asia/Hebron' }, { code: 'QA', iana: 'Asia/Qatar' }, { code: 'SA', iana: 'Asia/Riyadh' },
  { code: 'SG', iana: 'Asia/Singapore' }, { code: 'SY', iana: 'Asia/Damascus' }, { code: 'TH', iana: 'Asia/Bangkok' },
  { code: 'TJ', iana: 'Asia/Dushanbe' }, { code: 'TL', iana: 'Asia/Dili' }, { code: 'TM', iana: 'Asia/Ashgabat' },
  { code: 'TW', iana: 'Asia/Taipei' }, { code: 'UZ', iana: 'Asia/Tashkent' }, { code: 'VN', iana: 'Asia/Ho_Chi_Minh' },
  { code: 'YE', iana: 'Asia/Aden' },

  // Africa and the Indian Ocean
  { code: 'AO', iana: 'Africa/Luanda' }, { code: 'BF', iana: 'Africa/Ouagadougou' }, { code: 'BI', iana: 'Africa/Bujumbura' },
  { code: 'BJ', iana: 'Africa/Porto-Novo' }, { code: 'BW', iana: 'Africa/Gaborone' }, { code: 'CD', iana: 'Africa/Kinshasa' },
  { code: 'CF', iana: 'Africa/Bangui' }, { code: 'CG', iana: 'Africa/Brazzaville' }, { code: 'CI', iana: 'Africa/Abidjan' },
  { code: 'CM', iana: 'Africa/Douala' }, { code: 'CV', iana: 'Atlantic/Cape_Verde' }, { code: 'DJ', iana: 'Africa/Djibouti' },
  { code: 'DZ', iana: 'Africa/Algiers' }, { code: 'EG', iana: 'Africa/Cairo' }, { code: 'EH', iana: 'Africa/El_Aaiun' },
  { code: 'ER', iana: 'Africa/Asmara' }, { code: 'ET', iana: 'Africa/Addis_Ababa' }, { code: 'GA', iana: 'Africa/Libreville' },
  { code: 'GH', iana: 'Africa/Accra' }, { code: 'GM', iana: 'Africa/Banjul' }, { code: 'GN', iana: 'Africa/Conakry' },
  { code: 'GQ', iana: 'Africa/Malabo' }, { code: 'GW', iana: 'Africa/Bissau' }, { code: 'KE', iana: 'Africa/Nairobi' },
  { code: 'KM', iana: 'Indian/Comoro' }, { code: 'LR', iana: 'Africa/Monrovia' }, { code: 'LS', iana: 'Africa/Maseru' },
  { code: 'LY', iana: 'Africa/Tripoli' }, { code: 'MA', iana: 'Africa/Casablanca' }, { code: 'MG', iana: 'Indian/Antananarivo' },
  { code: 'ML', iana: 'Africa/Bamako' }, { code: 'MR', iana: 'Africa/Nouakchott' }, { code: 'MU', iana: 'Indian/Mauritius' },
  { code: 'MW', iana: 'Africa/Blantyre' }, { code: 'MZ', iana: 'Africa/Maputo' }, { code: 'NA', iana: 'Africa/Windhoek' },
  { code: 'NE', iana: 'Africa/Niamey' }, { code: 'NG', iana: 'Africa/Lagos' }, { code: 'RE', iana: 'Indian/Reunion' },
  { code: 'RW', iana: 'Africa/Kigali' }, { code: 'SC', iana: 'Indian/Mahe' }, { code: 'SD', iana: 'Africa/Khartoum' },
  { code: 'SH', iana: 'Atlantic/St_Helena' }, { code: 'SL', iana: 'Africa/Freetown' }, { code: 'SN', iana: 'Africa/Dakar' },
  { code: 'SO', iana: 'Africa/Mogadishu' }, { code: 'SS', iana: 'Africa/Juba' }, { code: 'ST', iana: 'Africa/Sao_Tome' },
  { code: 'SZ', iana: 'Africa/Mbabane' }, { code: 'TD', iana: 'Africa/Ndjamena' }, { code: 'TF', iana: 'Indian/Kerguelen' },
  { code: 'TG', iana: 'Africa/Lome' }, { code: 'TN', iana: 'Africa/Tunis' }, { code: 'TZ', iana: 'Africa/Dar_es_Salaam' },
  { code: 'UG', iana: 'Africa/Kampala' }, { code: 'YT', iana: 'Indian/Mayotte' }, { code: 'ZA', iana: 'Africa/Johannesburg' },
  { code: 'ZM', iana: 'Africa/Lusaka' }, { code: 'ZW', iana: 'Africa/Harare' },

  // Australia (bare AU = Canberra/Sydney) and Oceania
  { code: 'AU', iana: 'Australia/Sydney' }, { id: 36, code: 'AU-ACT', iana: 'Australia/Sydney' },
  { code: 'AU-NSW', iana: 'Australia/Sydney' }, { code: 'AU-NT', iana: 'Australia/Darwin' }, { code: 'AU-QLD', iana: 'Australia/Brisbane' },
  { code: 'AU-SA', iana: 'Australia/Adelaide' }, { code: 'AU-TAS', iana: 'Australia/Hobart' }, { code: 'AU-VIC', iana: 'Australia/Melbourne' },
  { code: 'AU-WA', iana: 'Australia/Perth' },
  { code: 'AS', iana: 'Pacific/Pago_Pago' }, { code: 'CK', iana: 'Pacific/Rarotonga' }, { code: 'FJ', iana: 'Pacific/Fiji' },
  { code: 'FM', iana: 'Pacific/Pohnpei' }, { code: 'GU', iana: 'Pacific/Guam' }, { code: 'KI', iana: 'Pacific/Tarawa' },
  { code: 'MH', iana: 'Pacific/Majuro' }, { code: 'MP', iana: 'Pacific/Saipan' }, { code: 'NC', iana: 'Pacific/Noumea' },
  { code: 'NF', iana: 'Pacific/Norfolk' }, { code: 'NR', iana: 'Pacific/Nauru' }, { code: 'NU', iana: 'Pacific/Niue' },
  { code: 'NZ', iana: 'Pacific/Auckland' }, { code: 'PF', iana: 'Pacific/Tahiti' }, { code: 'PG', iana: 'Pacific/Port_Moresby' },
  { code: 'PN', iana: 'Pacific/Pitcairn' }, { code: 'PW', iana: 'Pacific/Palau' }, { code: 'SB', iana: 'Pacific/Guadalcanal' },
  { code: 'TK', iana: 'Pacific/Fakaofo' }, { code: 'TO', iana: 'Pacific/Tongatapu' }, { code: 'TV', iana: 'Pacific/Funafuti' },
  { code: 'VU', iana: 'Pacific/Efate' }, { code: 'WF', iana: 'Pacific/Wallis' }, { code: 'WS', iana: 'Pacific/Apia' },
].map((entry) => Object.freeze(entry as TimeZoneLocation)));

const byCode = new Map<string, TimeZoneLocation>();
const byId = new Map<number, TimeZoneLocation>();
// Lower-cased IANA name → the table's (modern) spelling. Node's ICU reports legacy aliases from
// resolvedOptions() (Asia/Kolkata → Asia/Calcutta), so prefer our spelling when we know the zone.
const ianaSpelling = new Map<string, string>();
for (const entry of timeZoneTable) {
  byCode.set(entry.code.toUpperCase(), entry);
  if (entry.id !== undefined) byId.set(entry.id, entry);
  ianaSpelling.set(entry.iana.toLowerCase(), entry.iana);
}

// Constructing an Intl.DateTimeFormat costs tens of microseconds and this runs per request, so memoise
// IANA lookups (including misses). Bounded so that hostile header values cannot grow it without limit.
const ianaCache = new Map<string, { code: string; iana: string } | null>();
const MAX_IANA_CACHE = 1_000;
const PLAUSIBLE = /^[A-Za-z0-9_+\-/]+$/;

function resolveIana(name: string): { code: string; iana: string } | undefined {
  const key = name.toLowerCase();
  const cached = ianaCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  let result: { code: string; iana: string } | null = null;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    const iana = ianaSpelling.get(key) ?? resolved;
    result = Object.freeze({ code: iana, iana });
  } catch {
    result = null; // RangeError: not a zone Intl knows
  }
  if (ianaCache.size >= MAX_IANA_CACHE) ianaCache.clear();
  ianaCache.set(key, result);
  return result ?? undefined;
}

/**
 * Resolves an SO-TimeZone value: a location code (case-insensitive, `us-ny`), a numeric location id
 * (`"261"`), or an IANA zone name Intl accepts (returned with the canonical name as both code and iana).
 */
export function resolveTimeZone(input: string): { code: string; iana: string } | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const text = input.trim();
  if (text === '' || !PLAUSIBLE.test(text)) return undefined;
  if (/^\d+$/.test(text)) {
    const entry = byId.get(Number(text));
    return entry && { code: entry.code, iana: entry.iana };
  }
  const entry = byCode.get(text.toUpperCase());
  if (entry) return { code: entry.code, iana: entry.iana };
  return resolveIana(text);
}
