/** Word lists the generator draws from. Changing them changes every brand (and the pinned hash). */

export const COLORS: ReadonlyArray<readonly [name: string, code: string]> = [
  ['Black', 'BLK'],
  ['White', 'WHT'],
  ['Navy', 'NVY'],
  ['Ivory', 'IVR'],
  ['Heather Grey', 'HGR'],
  ['Charcoal', 'CHR'],
  ['Camel', 'CML'],
  ['Olive', 'OLV'],
  ['Rust', 'RST'],
  ['Sage', 'SGE'],
  ['Blush', 'BLS'],
  ['Cobalt', 'CBT'],
  ['Burgundy', 'BRG'],
  ['Sand', 'SND'],
  ['Forest', 'FRS'],
  ['Mustard', 'MST'],
  ['Lilac', 'LLC'],
  ['Chocolate', 'CHO'],
  ['Sky Blue', 'SKY'],
  ['Terracotta', 'TRC'],
  ['Ecru', 'ECR'],
  ['Red', 'RED'],
  ['Teal', 'TEA'],
  ['Stone', 'STN'],
  ['Indigo', 'IND'],
  ['Coral', 'COR'],
  ['Mint', 'MNT'],
  ['Plum', 'PLM'],
  ['Oatmeal', 'OAT'],
  ['Tobacco', 'TOB'],
];

export interface CategorySpec {
  name: string;
  garments: readonly string[];
  /** Size range ids with weights (see SIZE_RANGES). */
  sizeRanges: ReadonlyArray<readonly [string, number]>;
  /** Wholesale price range in whole USD. */
  price: readonly [number, number];
}

export const SIZE_RANGES = [
  { id: '1', name: 'ALPHA XS-XL', sizes: ['XS', 'S', 'M', 'L', 'XL'] },
  { id: '2', name: 'ALPHA XXS-XXL', sizes: ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL'] },
  { id: '3', name: 'NUMERIC 0-14', sizes: ['0', '2', '4', '6', '8', '10', '12', '14'] },
  { id: '4', name: 'ONE SIZE', sizes: ['OS'] },
] as const;

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: 'Tops',
    garments: ['Shirt', 'Blouse', 'Tee', 'Tank', 'Camisole', 'Polo'],
    sizeRanges: [
      ['1', 6],
      ['2', 4],
    ],
    price: [18, 95],
  },
  {
    name: 'Dresses',
    garments: ['Dress', 'Midi Dress', 'Maxi Dress', 'Slip Dress', 'Shirtdress'],
    sizeRanges: [
      ['3', 7],
      ['1', 3],
    ],
    price: [45, 220],
  },
  {
    name: 'Bottoms',
    garments: ['Trouser', 'Skirt', 'Short', 'Culotte', 'Wide-Leg Pant'],
    sizeRanges: [
      ['3', 7],
      ['1', 3],
    ],
    price: [35, 140],
  },
  {
    name: 'Denim',
    garments: ['Straight Jean', 'Skinny Jean', 'Denim Jacket', 'Barrel Jean'],
    sizeRanges: [
      ['3', 8],
      ['2', 2],
    ],
    price: [48, 150],
  },
  {
    name: 'Knitwear',
    garments: ['Cardigan', 'Crewneck Sweater', 'Turtleneck', 'Knit Vest'],
    sizeRanges: [
      ['1', 6],
      ['2', 4],
    ],
    price: [40, 180],
  },
  {
    name: 'Outerwear',
    garments: ['Trench Coat', 'Blazer', 'Puffer Jacket', 'Overcoat', 'Bomber'],
    sizeRanges: [
      ['1', 5],
      ['2', 3],
      ['3', 2],
    ],
    price: [90, 320],
  },
  { name: 'Accessories', garments: ['Scarf', 'Tote Bag', 'Beanie', 'Belt', 'Bucket Hat'], sizeRanges: [['4', 1]], price: [12, 85] },
];
export const CATEGORY_WEIGHTS: ReadonlyArray<readonly [number, number]> = [
  [0, 22],
  [1, 16],
  [2, 16],
  [3, 10],
  [4, 13],
  [5, 10],
  [6, 13],
];

export const ADJECTIVES = [
  'Relaxed',
  'Cropped',
  'Tailored',
  'Oversized',
  'Fitted',
  'Pleated',
  'Belted',
  'Draped',
  'Ribbed',
  'Quilted',
  'Washed',
  'Structured',
  'Boxy',
  'Wrap',
  'Utility',
  'Classic',
  'Soft',
  'Vintage',
  'Slim',
  'Easy',
];
export const FABRICS: ReadonlyArray<readonly [name: string, content: string]> = [
  ['Linen', '100% Linen'],
  ['Cotton', '100% Cotton'],
  ['Poplin', '100% Cotton Poplin'],
  ['Silk', '100% Silk'],
  ['Wool', '100% Merino Wool'],
  ['Cashmere', '70% Wool 30% Cashmere'],
  ['Twill', '98% Cotton 2% Elastane'],
  ['Jersey', '95% Organic Cotton 5% Elastane'],
  ['Satin', '100% Polyester'],
  ['Crepe', '100% Viscose'],
  ['Corduroy', '100% Cotton Corduroy'],
  ['Denim', '99% Cotton 1% Elastane'],
  ['Tencel', '100% Lyocell'],
  ['Linen-Blend', '55% Linen 45% Cotton'],
  ['Recycled Nylon', '100% Recycled Nylon'],
];
export const FEATURES = [
  'a relaxed fit',
  'horn buttons',
  'side pockets',
  'a concealed placket',
  'a dropped shoulder',
  'french seams',
  'a raw hem',
  'a tie waist',
  'a back vent',
  'contrast stitching',
  'a curved hem',
  'adjustable straps',
];
export const ORIGINS = ['Portugal', 'Italy', 'China', 'India', 'Vietnam', 'USA', 'Peru', 'Turkey', 'Bangladesh', 'Romania'];

export const STORE_WORDS_A = [
  'Bloom',
  'Harbor',
  'Juniper',
  'Marigold',
  'Sparrow',
  'Willow',
  'Cedar',
  'Linden',
  'Fern',
  'Olive',
  'Magnolia',
  'Birch',
  'Hazel',
  'Saffron',
  'Indigo',
  'Wren',
  'Maple',
  'Clover',
  'Azure',
  'Poppy',
];
export const STORE_WORDS_B = ['Boutique', '& Co', 'Supply', 'Mercantile', 'Atelier', 'Collective', 'House', 'Goods', 'Studio', 'Closet'];
export const STREETS = ['Main St', 'Oak Ave', 'Market St', 'Elm St', 'Broadway', 'King St', 'High St', 'Queen St', 'Park Ave', 'Mill Rd'];

export interface Locale {
  country: string;
  currency: string;
  cities: ReadonlyArray<readonly [city: string, state: string, postalPrefix: string]>;
  phonePrefix: string;
}
export const LOCALES: ReadonlyArray<readonly [Locale, number]> = [
  [
    {
      country: 'US',
      currency: 'USD',
      phonePrefix: '+1 212',
      cities: [
        ['New York', 'NY', '100'],
        ['Los Angeles', 'CA', '900'],
        ['Austin', 'TX', '787'],
        ['Chicago', 'IL', '606'],
        ['Charleston', 'SC', '294'],
        ['Portland', 'OR', '972'],
      ],
    },
    62,
  ],
  [
    {
      country: 'CA',
      currency: 'CAD',
      phonePrefix: '+1 416',
      cities: [
        ['Toronto', 'ON', 'M5V'],
        ['Vancouver', 'BC', 'V6B'],
        ['Montreal', 'QC', 'H2X'],
      ],
    },
    12,
  ],
  [
    {
      country: 'GB',
      currency: 'GBP',
      phonePrefix: '+44 20',
      cities: [
        ['London', '', 'W1'],
        ['Manchester', '', 'M1'],
        ['Bristol', '', 'BS1'],
      ],
    },
    12,
  ],
  [
    {
      country: 'FR',
      currency: 'EUR',
      phonePrefix: '+33 1',
      cities: [
        ['Paris', '', '750'],
        ['Lyon', '', '690'],
      ],
    },
    7,
  ],
  [
    {
      country: 'DE',
      currency: 'EUR',
      phonePrefix: '+49 30',
      cities: [
        ['Berlin', '', '101'],
        ['Munich', '', '803'],
      ],
    },
    7,
  ],
];
