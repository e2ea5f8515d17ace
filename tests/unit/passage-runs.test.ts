import { describe, expect, it } from 'vitest';
import { passageRuns } from '../../web/lib/text/passage-runs';

// The text runs of a reference manual's page, as pdf.js gives them: the entry before the
// cited one ends with the same words ("Returns:", "[Function]", "will contain the length
// needed.") that the cited entry holds.
const runs = [
  'Creates the DER encoding of the provided object identifier.', // 0
  'Returns:', // 1
  ' ',
  'ASN1_SUCCESS', // 3
  'if DER encoding was OK,', // 4
  'vector isn’t big enough and in this case', // 5
  'der_len', // 6
  'will contain the length needed.', // 7
  '[Function]', // 8
  'void asn1_bit_der', // 9
  'const unsigned char *', // 10
  ', int', // 11
  'The DER encoding size can be obtained using asn1_length_der().', // 12
  '[Function]', // 13
  'int asn1_der_coding', // 14
  '(', // 15
  'asn1 node const element', // 16
  ': the name of the structure you want to encode', // 17
  'Returns:', // 18
  'ASN1_SUCCESS', // 19
  'if the der vector isn’t big enough and in this case len will contain the length needed.', // 20
];
const passage =
  'The DER encoding size can be obtained using asn1_length_der().\n\n[Function] int asn1_der_coding (asn1 node const element, const char * name): the name of the structure you want to encode. Returns: ASN1_SUCCESS if DER encoding OK, ASN1_MEM_ERROR if the der vector isn’t big enough and in this case len will contain the length needed.';

describe('the runs of a page that show a cited passage', () => {
  it('are one stretch: the same words elsewhere on the page are not marked', () => {
    expect(passageRuns(runs, passage)).toEqual([12, 13, 14, 16, 17, 18, 19, 20]);
  });

  it('go on across one run that reads otherwise in the passage (a word hyphenated at a line end)', () => {
    const hyphenated = ['Unrelated text before the passage.', 'Compost needs air and wa-', 'ter to break down, and', 'greens and browns in turn.', 'Unrelated text after it.', 'Nothing else here.'];
    expect(passageRuns(hyphenated, 'Compost needs air and water to break down, and greens and browns in turn.')).toEqual([2, 3]);
    expect(passageRuns(['Compost needs air and', 'water to brea-', 'k down, and', 'greens and browns in turn.'], 'Compost needs air and water to break down, and greens and browns in turn.')).toEqual([0, 2, 3]);
  });

  it('are none when the page does not show the passage', () => {
    expect(passageRuns(['Tide pools form at low tide.'], 'Compost needs air and water.')).toEqual([]);
  });
});
