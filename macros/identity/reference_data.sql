{#- Compile-time copies of the reference seeds, for macros that must work without a join
    (normalize_country, normalize_state). tests/python/test_identity_hashing.py checks that
    they equal seeds/ref_countries.csv and seeds/ref_us_states.csv: edit both together. -#}

{#- ISO 3166-1 alpha-3 -> alpha-2 (upper case), all 249 officially assigned codes. -#}
{% macro identity_country_alpha3_to_alpha2() -%}
    {{ return({
        'AND': 'AD', 'ARE': 'AE', 'AFG': 'AF', 'ATG': 'AG', 'AIA': 'AI', 'ALB': 'AL', 'ARM': 'AM', 'AGO': 'AO',
        'ATA': 'AQ', 'ARG': 'AR', 'ASM': 'AS', 'AUT': 'AT', 'AUS': 'AU', 'ABW': 'AW', 'ALA': 'AX', 'AZE': 'AZ',
        'BIH': 'BA', 'BRB': 'BB', 'BGD': 'BD', 'BEL': 'BE', 'BFA': 'BF', 'BGR': 'BG', 'BHR': 'BH', 'BDI': 'BI',
        'BEN': 'BJ', 'BLM': 'BL', 'BMU': 'BM', 'BRN': 'BN', 'BOL': 'BO', 'BES': 'BQ', 'BRA': 'BR', 'BHS': 'BS',
        'BTN': 'BT', 'BVT': 'BV', 'BWA': 'BW', 'BLR': 'BY', 'BLZ': 'BZ', 'CAN': 'CA', 'CCK': 'CC', 'COD': 'CD',
        'CAF': 'CF', 'COG': 'CG', 'CHE': 'CH', 'CIV': 'CI', 'COK': 'CK', 'CHL': 'CL', 'CMR': 'CM', 'CHN': 'CN',
        'COL': 'CO', 'CRI': 'CR', 'CUB': 'CU', 'CPV': 'CV', 'CUW': 'CW', 'CXR': 'CX', 'CYP': 'CY', 'CZE': 'CZ',
        'DEU': 'DE', 'DJI': 'DJ', 'DNK': 'DK', 'DMA': 'DM', 'DOM': 'DO', 'DZA': 'DZ', 'ECU': 'EC', 'EST': 'EE',
        'EGY': 'EG', 'ESH': 'EH', 'ERI': 'ER', 'ESP': 'ES', 'ETH': 'ET', 'FIN': 'FI', 'FJI': 'FJ', 'FLK': 'FK',
        'FSM': 'FM', 'FRO': 'FO', 'FRA': 'FR', 'GAB': 'GA', 'GBR': 'GB', 'GRD': 'GD', 'GEO': 'GE', 'GUF': 'GF',
        'GGY': 'GG', 'GHA': 'GH', 'GIB': 'GI', 'GRL': 'GL', 'GMB': 'GM', 'GIN': 'GN', 'GLP': 'GP', 'GNQ': 'GQ',
        'GRC': 'GR', 'SGS': 'GS', 'GTM': 'GT', 'GUM': 'GU', 'GNB': 'GW', 'GUY': 'GY', 'HKG': 'HK', 'HMD': 'HM',
        'HND': 'HN', 'HRV': 'HR', 'HTI': 'HT', 'HUN': 'HU', 'IDN': 'ID', 'IRL': 'IE', 'ISR': 'IL', 'IMN': 'IM',
        'IND': 'IN', 'IOT': 'IO', 'IRQ': 'IQ', 'IRN': 'IR', 'ISL': 'IS', 'ITA': 'IT', 'JEY': 'JE', 'JAM': 'JM',
        'JOR': 'JO', 'JPN': 'JP', 'KEN': 'KE', 'KGZ': 'KG', 'KHM': 'KH', 'KIR': 'KI', 'COM': 'KM', 'KNA': 'KN',
        'PRK': 'KP', 'KOR': 'KR', 'KWT': 'KW', 'CYM': 'KY', 'KAZ': 'KZ', 'LAO': 'LA', 'LBN': 'LB', 'LCA': 'LC',
        'LIE': 'LI', 'LKA': 'LK', 'LBR': 'LR', 'LSO': 'LS', 'LTU': 'LT', 'LUX': 'LU', 'LVA': 'LV', 'LBY': 'LY',
        'MAR': 'MA', 'MCO': 'MC', 'MDA': 'MD', 'MNE': 'ME', 'MAF': 'MF', 'MDG': 'MG', 'MHL': 'MH', 'MKD': 'MK',
        'MLI': 'ML', 'MMR': 'MM', 'MNG': 'MN', 'MAC': 'MO', 'MNP': 'MP', 'MTQ': 'MQ', 'MRT': 'MR', 'MSR': 'MS',
        'MLT': 'MT', 'MUS': 'MU', 'MDV': 'MV', 'MWI': 'MW', 'MEX': 'MX', 'MYS': 'MY', 'MOZ': 'MZ', 'NAM': 'NA',
        'NCL': 'NC', 'NER': 'NE', 'NFK': 'NF', 'NGA': 'NG', 'NIC': 'NI', 'NLD': 'NL', 'NOR': 'NO', 'NPL': 'NP',
        'NRU': 'NR', 'NIU': 'NU', 'NZL': 'NZ', 'OMN': 'OM', 'PAN': 'PA', 'PER': 'PE', 'PYF': 'PF', 'PNG': 'PG',
        'PHL': 'PH', 'PAK': 'PK', 'POL': 'PL', 'SPM': 'PM', 'PCN': 'PN', 'PRI': 'PR', 'PSE': 'PS', 'PRT': 'PT',
        'PLW': 'PW', 'PRY': 'PY', 'QAT': 'QA', 'REU': 'RE', 'ROU': 'RO', 'SRB': 'RS', 'RUS': 'RU', 'RWA': 'RW',
        'SAU': 'SA', 'SLB': 'SB', 'SYC': 'SC', 'SDN': 'SD', 'SWE': 'SE', 'SGP': 'SG', 'SHN': 'SH', 'SVN': 'SI',
        'SJM': 'SJ', 'SVK': 'SK', 'SLE': 'SL', 'SMR': 'SM', 'SEN': 'SN', 'SOM': 'SO', 'SUR': 'SR', 'SSD': 'SS',
        'STP': 'ST', 'SLV': 'SV', 'SXM': 'SX', 'SYR': 'SY', 'SWZ': 'SZ', 'TCA': 'TC', 'TCD': 'TD', 'ATF': 'TF',
        'TGO': 'TG', 'THA': 'TH', 'TJK': 'TJ', 'TKL': 'TK', 'TLS': 'TL', 'TKM': 'TM', 'TUN': 'TN', 'TON': 'TO',
        'TUR': 'TR', 'TTO': 'TT', 'TUV': 'TV', 'TWN': 'TW', 'TZA': 'TZ', 'UKR': 'UA', 'UGA': 'UG', 'UMI': 'UM',
        'USA': 'US', 'URY': 'UY', 'UZB': 'UZ', 'VAT': 'VA', 'VCT': 'VC', 'VEN': 'VE', 'VGB': 'VG', 'VIR': 'VI',
        'VNM': 'VN', 'VUT': 'VU', 'WLF': 'WF', 'WSM': 'WS', 'YEM': 'YE', 'MYT': 'YT', 'ZAF': 'ZA', 'ZMB': 'ZM',
        'ZWE': 'ZW'
    }) }}
{%- endmacro %}

{#- USPS / ANSI state codes (50 states, DC, territories, military) -> name. -#}
{% macro identity_us_states() -%}
    {{ return({
        'AA': 'Armed Forces Americas', 'AE': 'Armed Forces Europe', 'AK': 'Alaska', 'AL': 'Alabama',
        'AP': 'Armed Forces Pacific', 'AR': 'Arkansas', 'AS': 'American Samoa', 'AZ': 'Arizona',
        'CA': 'California', 'CO': 'Colorado', 'CT': 'Connecticut', 'DC': 'District of Columbia',
        'DE': 'Delaware', 'FL': 'Florida', 'GA': 'Georgia', 'GU': 'Guam',
        'HI': 'Hawaii', 'IA': 'Iowa', 'ID': 'Idaho', 'IL': 'Illinois',
        'IN': 'Indiana', 'KS': 'Kansas', 'KY': 'Kentucky', 'LA': 'Louisiana',
        'MA': 'Massachusetts', 'MD': 'Maryland', 'ME': 'Maine', 'MI': 'Michigan',
        'MN': 'Minnesota', 'MO': 'Missouri', 'MP': 'Northern Mariana Islands', 'MS': 'Mississippi',
        'MT': 'Montana', 'NC': 'North Carolina', 'ND': 'North Dakota', 'NE': 'Nebraska',
        'NH': 'New Hampshire', 'NJ': 'New Jersey', 'NM': 'New Mexico', 'NV': 'Nevada',
        'NY': 'New York', 'OH': 'Ohio', 'OK': 'Oklahoma', 'OR': 'Oregon',
        'PA': 'Pennsylvania', 'PR': 'Puerto Rico', 'RI': 'Rhode Island', 'SC': 'South Carolina',
        'SD': 'South Dakota', 'TN': 'Tennessee', 'TX': 'Texas', 'UM': 'United States Minor Outlying Islands',
        'UT': 'Utah', 'VA': 'Virginia', 'VI': 'U.S. Virgin Islands', 'VT': 'Vermont',
        'WA': 'Washington', 'WI': 'Wisconsin', 'WV': 'West Virginia', 'WY': 'Wyoming'
    }) }}
{%- endmacro %}

{#- ITU-T E.164 country calling codes in service (libphonenumber's supported calling codes,
    including the non-geographic ones such as 800 and 882). They form a prefix code: no code
    is the start of another, so a number starts with at most one of them. -#}
{% macro identity_calling_codes() -%}
    {{ return([
        '1', '7', '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45',
        '46', '47', '48', '49', '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63',
        '64', '65', '66', '81', '82', '84', '86', '90', '91', '92', '93', '94', '95', '98', '211', '212',
        '213', '216', '218', '220', '221', '222', '223', '224', '225', '226', '227', '228', '229', '230', '231', '232',
        '233', '234', '235', '236', '237', '238', '239', '240', '241', '242', '243', '244', '245', '246', '247', '248',
        '249', '250', '251', '252', '253', '254', '255', '256', '257', '258', '260', '261', '262', '263', '264', '265',
        '266', '267', '268', '269', '290', '291', '297', '298', '299', '350', '351', '352', '353', '354', '355', '356',
        '357', '358', '359', '370', '371', '372', '373', '374', '375', '376', '377', '378', '380', '381', '382', '383',
        '385', '386', '387', '389', '420', '421', '423', '500', '501', '502', '503', '504', '505', '506', '507', '508',
        '509', '590', '591', '592', '593', '594', '595', '596', '597', '598', '599', '670', '672', '673', '674', '675',
        '676', '677', '678', '679', '680', '681', '682', '683', '685', '686', '687', '688', '689', '690', '691', '692',
        '800', '808', '850', '852', '853', '855', '856', '870', '878', '880', '881', '882', '883', '886', '888', '960',
        '961', '962', '963', '964', '965', '966', '967', '968', '970', '971', '972', '973', '974', '975', '976', '977',
        '979', '992', '993', '994', '995', '996', '998'
    ]) }}
{%- endmacro %}
