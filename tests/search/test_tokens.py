"""The tokenizer shared by indexing and querying: what a record is found by."""

import pytest

from rapport.search.tokens import (
    AllOf,
    AnyOf,
    Char,
    Phrase,
    Term,
    document,
    email_tokens,
    normalise,
    parse_query,
    phone_tokens,
)


def test_chinese_is_indexed_as_overlapping_bigrams_and_single_characters():
    indexed = document(title="深圳华为技术有限公司")
    assert indexed.tokens.split()[:9] == ["深圳", "圳华", "华为", "为技", "技术", "术有", "有限", "限公", "公司"]
    assert indexed.chars.split() == list("深圳华为技术有限公司")


def test_single_characters_are_stored_once():
    assert document(title="王王", texts=["王"]).chars == "王"


def test_chinese_query_is_a_phrase_of_bigrams_and_one_character_looks_in_chars():
    assert parse_query("华为").tokens == (Term("华为"),)
    assert parse_query("深圳华为").tokens == (Phrase(("深圳", "圳华", "华为")),)
    assert parse_query("华") == parse_query("华").__class__(tokens=(), chars=(Char("华"),))


def test_mixed_scripts_split_at_the_script_boundary():
    assert document(title="华为P30手机").tokens.split()[:3] == ["华为", "p30", "手机"]
    assert parse_query("华为P30").tokens == (Term("华为"), Term("p30", prefix=True))


def test_words_are_lower_case_without_accents_and_full_width_forms():
    assert normalise("Ｊosé MÜLLER Straße") == "jose muller strasse"
    assert document(title="José Müller").tokens.split()[:2] == ["jose", "muller"]
    assert parse_query("JOSÉ").tokens == (Term("jose", prefix=True),)


def test_query_words_are_prefixes_and_a_lone_letter_is_left_out():
    assert parse_query("glo ind").tokens == (Term("glo", prefix=True), Term("ind", prefix=True))
    assert parse_query("wang f").tokens == (Term("wang", prefix=True),)
    assert not parse_query("a")
    assert not parse_query("  !?  ")


def test_a_word_glued_to_digits_stays_one_word():
    assert "12abc" in document(title="12abc").tokens.split()
    assert parse_query("12abc").tokens == (Term("12abc", prefix=True),)


def test_mobile_number_gives_e164_national_and_reversed_digits():
    tokens = phone_tokens("+8613800138000")
    assert "8613800138000" in tokens and "13800138000" in tokens
    assert "zr0008310083168" in tokens


def test_landline_also_gives_the_national_form_with_its_trunk_zero():
    assert "075528780808" in phone_tokens("0755 2878 0808")


def test_an_invalid_number_is_still_indexed_by_its_digits():
    assert phone_tokens("ext. 12-34-5") == ["12345", "zr54321"]
    assert phone_tokens("12") == []


@pytest.mark.parametrize("spelling", ["138 0013 8000", "+86-138-0013-8000", "13800138000", "(+86) 138.0013.8000"])
def test_every_spelling_of_a_number_queries_its_e164_digits(spelling):
    [part] = parse_query(spelling).tokens
    assert isinstance(part, AnyOf) and Term("8613800138000") in part.options


def test_the_last_digits_query_the_reversed_token_as_a_prefix():
    [part] = parse_query("8000").tokens
    assert Term("zr0008", prefix=True) in part.options
    assert Term("8000", prefix=True) in part.options  # and still numbers that start so, e.g. a postcode


def test_spaced_digits_may_also_be_separate_numbers():
    [part] = parse_query("2024 0501").tokens
    assert AllOf((Term("2024", prefix=True), Term("0501", prefix=True))) in part.options


def test_a_whole_valid_number_is_only_a_phone_not_also_three_numbers():
    [part] = parse_query("138 0013 8000").tokens
    assert not any(isinstance(option, AllOf) for option in part.options)


def test_email_gives_the_whole_address_and_its_halves():
    assert email_tokens("wang.fang@acme.example") == ["wangfangacmeexample", "wangfang", "acmeexample"]
    tokens = document(title="x", texts=["Wang.Fang@Acme.example"]).tokens.split()
    assert {"wangfangacmeexample", "wangfang", "acmeexample", "wang", "fang", "acme", "example"} <= set(tokens)


def test_partial_email_queries_the_address_as_a_prefix_or_its_words():
    [part] = parse_query("fang@acme").tokens
    assert part.options == (Term("fangacme", prefix=True),
                            AllOf((Term("fang", prefix=True), Term("acme", prefix=True))))


def test_the_title_counts_twice_so_a_name_match_ranks_higher():
    assert document(title="Acme", texts=["Other"]).tokens == "acme acme other"
