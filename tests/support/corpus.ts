import { makePdf } from './pdfs';

/** The documents the end-to-end tests add, with facts on known pages. */

export const TIDE_POOLS = {
  title: 'Tide Pools of the Northern Coast',
  fileName: 'tide-pools.pdf',
  pages: [
    {
      heading: 'Tide Pools of the Northern Coast',
      paragraphs: [
        'Tide pools form where the sea retreats at low tide and leaves water trapped among the rocks. Anemones, hermit crabs, sculpins and periwinkles live in them, and each pool is a small world that changes twice a day.',
        'The pools warm quickly in summer. Oxygen levels swing between day and night, because the algae that make oxygen in sunlight consume it after dark.',
      ],
    },
    {
      paragraphs: [
        'Starfish feed on mussels by prying their shells apart with hundreds of tube feet. A single ochre star can eat eighty mussels in a year, which keeps the mussel beds from smothering everything else on the rock.',
        'When the stars disappeared during the wasting disease outbreak, mussels spread across whole shelves of rock within two seasons.',
      ],
    },
    {
      paragraphs: [
        'The best time to visit is during a spring tide, about two days after the full moon, when the water drops lowest. Check a tide table and arrive an hour before the low.',
        'Step only on bare rock, never lift animals out of the water, and turn every stone back the way you found it.',
      ],
    },
  ],
};

export const COMPOSTING = {
  // No metadata title: the title must come from the large heading on page 1.
  title: 'A Field Guide to Backyard Composting',
  fileName: 'compost_notes.pdf',
  pages: [
    {
      heading: 'A Field Guide to Backyard Composting',
      paragraphs: [
        'A compost heap turns kitchen scraps and garden waste into dark, crumbly soil. Microbes do the work, and they need air, water and a balance of materials.',
        'Build the heap at least a metre wide so it holds its heat; a small pile dries out and cools before the microbes finish.',
      ],
    },
    {
      paragraphs: [
        'Mix nitrogen-rich greens such as coffee grounds, vegetable peelings and fresh grass clippings with carbon-rich browns such as dry leaves, straw and shredded cardboard. Roughly three parts browns to one part greens keeps the heap from smelling.',
        'Turn the heap every two weeks with a fork. A hot heap reaches sixty degrees Celsius in its core, enough to kill most weed seeds.',
      ],
    },
  ],
};

export function tidePoolsPdf(): Promise<Uint8Array> {
  return makePdf({ title: TIDE_POOLS.title, pages: TIDE_POOLS.pages });
}

export function compostingPdf(): Promise<Uint8Array> {
  return makePdf({ pages: COMPOSTING.pages });
}

/** A long PDF: every page holds its own numbered facts, so any page can be searched for. */
export function ledgerPdf(pageCount: number, station = 'Station'): Promise<Uint8Array> {
  const pages = Array.from({ length: pageCount }, (_, i) => {
    const n = i + 1;
    return {
      heading: n === 1 ? `Rainfall Ledger of the ${station} Network` : undefined,
      paragraphs: [
        `${station} ${n} recorded ${(n * 37) % 211} millimetres of rain in week ${n}. The gauge was read at dawn by the keeper, who noted the wind and the colour of the sky.`,
        `Observers at ${station.toLowerCase()} ${n} reported that the river rose ${(n * 13) % 97} centimetres, and that the fields to the east stayed wet for ${(n % 9) + 1} days.`,
        n === pageCount - 10 ? `The anemometer at ${station} ${n} was struck by lightning and replaced with a brass instrument.` : `Nothing unusual happened to the instruments at ${station} ${n}.`,
      ],
    };
  });
  return makePdf({ title: `Rainfall Ledger (${station})`, pages });
}
