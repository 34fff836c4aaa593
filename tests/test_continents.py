"""The packaged continent table: complete, and equal to Pajek's continents.clu where M49 agrees."""

from bibnet import countries

CLU_CONTINENTS = {1: "Africa", 2: "Antarctica", 3: "Asia", 4: "Europe", 5: "North America",
                  6: "Oceania", 7: "South America"}
# Codes where UN M49 (our table) and Pajek's continents.clu disagree, each with M49's answer.
M49_NOT_CLU = {
    "AM": "Asia", "AZ": "Asia", "GE": "Asia", "CY": "Asia", "TR": "Asia", "KZ": "Asia",
    "BV": "South America", "GS": "South America", "HM": "Oceania", "TF": "Africa",
    "IO": "Africa", "CX": "Oceania", "CC": "Oceania",
    "XK": "Europe",  # unassigned (0) in continents.clu
}


def test_every_known_code_has_one_of_seven_continents():
    assert set(countries.continents()) == set(countries.names())
    assert set(countries.continents().values()) == set(CLU_CONTINENTS.values())


def test_unknown_code_has_no_continent():
    assert countries.continent("ZZ") == ""


def test_table_matches_pajek_continents_clu_except_documented_m49_choices(real_data):
    header, *rows = (real_data / "ISO2codes.csv").read_text(encoding="utf-8-sig").splitlines()
    codes = [row.split(";")[0] for row in rows]
    clu = (real_data / "continents.clu").read_text(encoding="utf-8-sig").splitlines()
    assert "% 1: AF; 2: AN; 3: AS; 4: EU; 5: NA; 6: OC; 7: SA" in [line.strip() for line in clu]
    classes = [int(line) for line in clu if line.strip() and line.strip()[0] not in "%*"]
    assert len(classes) == len(codes) == 251
    differing = {code: countries.continent(code) for code, cls in zip(codes, classes)
                 if CLU_CONTINENTS.get(cls) != countries.continent(code)}
    assert differing == M49_NOT_CLU
