"""Tests of the knowledge base: the shipped data and the validation rules."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from textwrap import dedent

import pytest

from nlp.kb import KB_LANGS, KBEntity, KBError, KnowledgeBase, load_kb, validate


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def ids(entities: Iterable[KBEntity]) -> list[str]:
    return [entity.kb_id for entity in entities]


# --- the shipped knowledge base ------------------------------------------------


def test_shipped_kb_is_valid_and_large_enough(kb: KnowledgeBase) -> None:
    assert validate(kb) == []
    assert kb.version
    kinds = {"group", "company", "brand", "org"}
    organisations = [e for e in kb.entities.values() if e.kind in kinds]
    plants = [e for e in kb.entities.values() if e.is_plant]
    products = [e for e in kb.entities.values() if e.is_product]
    assert len(organisations) >= 550
    assert len(plants) >= 150
    places = [e for e in kb.entities.values() if e.kind in {"country", "market"}]
    assert products
    assert len(organisations) + len(plants) + len(products) + len(places) == len(kb.entities)


def test_countries_and_markets_are_entities_with_their_names(kb: KnowledgeBase) -> None:
    germany = kb.entities["country-de"]
    assert (germany.name, germany.kind, germany.country) == ("Germany", "country", "DE")
    assert {"Duitsland", "Allemagne", "Deutschland"} <= set(germany.alias_list())
    assert kb.entities["market-eu"].name == "European Union"
    assert "Vieux Continent" in kb.entities["market-europe"].alias_list()


def test_load_kb_is_cached(kb: KnowledgeBase) -> None:
    assert load_kb() is kb


def test_chery_brands_sit_under_chery_holding(kb: KnowledgeBase) -> None:
    for brand in ("jaecoo", "omoda", "jetour", "exeed", "icar"):
        assert ids(kb.ancestors(brand)) == ["chery", "chery-holding"]
        assert kb.group_of(brand).kb_id == "chery-holding"
    assert "Chery Group" in kb.entities["chery-holding"].aliases["*"]


def test_jaguar_sits_under_jlr_and_tata(kb: KnowledgeBase) -> None:
    chain = ids(kb.ancestors("jaguar"))
    assert chain[0] == "jlr"
    assert "tata-motors-pv" in chain
    assert kb.group_of("jaguar").kb_id == "tata-sons"
    assert kb.entities["jlr"].name == "Jaguar Land Rover"
    assert "JLR" in kb.entities["jlr"].aliases["*"]
    assert {"jaguar", "land-rover"} <= set(ids(kb.descendants("jlr")))


@pytest.mark.parametrize("brand", ["polestar", "volvo-cars", "zeekr", "lynk-co", "smart", "lotus"])
def test_geely_brands(kb: KnowledgeBase, brand: str) -> None:
    assert kb.group_of(brand).kb_id == "geely-holding"


@pytest.mark.parametrize(
    ("brand", "group"),
    [
        ("peugeot", "stellantis"),
        ("citroen", "stellantis"),
        ("jeep", "stellantis"),
        ("audi", "volkswagen-group"),
        ("cupra", "volkswagen-group"),
        ("lamborghini", "volkswagen-group"),
        ("scania", "volkswagen-group"),
        ("mini", "bmw-group"),
        ("dacia", "renault-group"),
        ("genesis", "hyundai-motor-group"),
        ("denza", "byd"),
        ("mg", "saic"),
        ("lexus", "toyota"),
    ],
)
def test_group_of(kb: KnowledgeBase, brand: str, group: str) -> None:
    assert kb.group_of(brand).kb_id == group


def test_group_is_its_own_group(kb: KnowledgeBase) -> None:
    assert kb.ancestors("stellantis") == []
    assert kb.group_of("stellantis").kb_id == "stellantis"


def test_audi_brussels(kb: KnowledgeBase) -> None:
    plant = kb.entities["audi-brussels"]
    assert plant.kind == "plant"
    assert plant.operator == "audi"
    assert plant.country == "BE"
    assert {"Vorst", "Forest"} <= set(plant.city_local)
    assert plant.aliases.get("fr")
    assert "Vorst" not in plant.alias_list()
    assert plant.aliases["*"][0] == plant.name


def test_barcelona_plant_was_nissan(kb: KnowledgeBase) -> None:
    plant = kb.entities["barcelona-zona-franca"]
    assert plant.operator == "chery"
    assert plant.former_operators == ("nissan",)
    assert plant in kb.plants_of("chery")
    assert plant not in kb.plants_of("nissan")


def test_plants_of_with_descendants(kb: KnowledgeBase) -> None:
    assert "audi-brussels" not in ids(kb.plants_of("volkswagen-group"))
    group_plants = ids(kb.plants_of("volkswagen-group", include_descendants=True))
    assert {"audi-brussels", "vw-wolfsburg", "seat-martorell"} <= set(group_plants)


def test_descendants_exclude_plants(kb: KnowledgeBase) -> None:
    below = kb.descendants("stellantis")
    assert {"peugeot", "opel", "fiat-professional"} <= set(ids(below))
    assert not any(entity.is_plant for entity in below)


def test_names_per_language(kb: KnowledgeBase) -> None:
    german = {name for name, entity in kb.names("de") if entity.kb_id == "volkswagen-group"}
    dutch = {name for name, entity in kb.names("nl") if entity.kb_id == "volkswagen-group"}
    assert "Volkswagen Konzern" in german and "Volkswagen Konzern" not in dutch
    assert "VW Group" in german and "VW Group" in dutch
    everything = {name for name, _ in kb.names()}
    assert {"Volkswagen Konzern", "Volkswagen Groep", "usine de Forest"} <= everything
    unknown = {name for name, _ in kb.names("xx")}
    assert "VW Group" in unknown and "Volkswagen Konzern" not in unknown


def test_ambiguous_alias_prefers_listed_entity(kb: KnowledgeBase) -> None:
    owners = [entity.kb_id for name, entity in kb.names("en") if name == "Volkswagen"]
    assert owners[0] == "volkswagen"
    assert "volkswagen-group" in owners
    preferred = kb.preferred("VOLVO")
    assert preferred is not None and preferred.kb_id == "volvo-cars"


def test_no_unlisted_alias_clash(kb: KnowledgeBase) -> None:
    for lang in KB_LANGS:
        owners: dict[str, set[str]] = {}
        for name, entity in kb.names(lang):
            owners.setdefault(name.casefold(), set()).add(entity.kb_id)
        clashes = {name for name, found in owners.items() if len(found) > 1}
        assert clashes <= set(kb.ambiguous)


def test_unknown_id(kb: KnowledgeBase) -> None:
    assert kb.get("no-such-id") is None
    with pytest.raises(KeyError):
        kb.ancestors("no-such-id")


# --- validation of bad files -----------------------------------------------------

HEADER = 'version = "test"\n'


def write_kb(directory: Path, companies: str, plants: str | None = None) -> Path:
    (directory / "companies.toml").write_text(HEADER + dedent(companies), encoding="utf-8")
    if plants is not None:
        (directory / "plants.toml").write_text(dedent(plants), encoding="utf-8")
    return directory


def load_error(directory: Path) -> str:
    with pytest.raises(KBError) as caught:
        load_kb(directory)
    return str(caught.value)


def test_minimal_kb_loads(tmp_path: Path) -> None:
    kb = load_kb(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "acme"
        name = "Acme"
        kind = "company"
        country = "NL"
        wikidata = "Q42"
        aliases_nl = ["Acme Nederland"]
        """,
            """
        [[plant]]
        id = "acme-born"
        name = "Acme Born"
        operator = "acme"
        city = "Born"
        country = "NL"
        status = "active"
        """,
        )
    )
    assert kb.version == "test"
    assert kb.entities["acme"].aliases == {"*": ("Acme",), "nl": ("Acme Nederland",)}
    assert ids(kb.plants_of("acme")) == ["acme-born"]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "acme"
        name = "Acme"
        kind = "company"
        """,
            """
        [[plant]]
        id = "acme"
        name = "Acme Born"
        operator = "acme"
        city = "Born"
        country = "NL"
        status = "active"
        """,
        )
    )
    assert "duplicate id" in message
    assert "plants.toml [acme]" in message


def test_missing_parent(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "brand"
        name = "Brand"
        kind = "brand"
        parent = "nobody"
        """,
        )
    )
    assert "companies.toml [brand]" in message
    assert "parent 'nobody' does not exist" in message


def test_missing_operator(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "acme"
        name = "Acme"
        kind = "company"
        """,
            """
        [[plant]]
        id = "works"
        name = "Works"
        operator = "acme"
        former_operators = ["ghost"]
        city = "Born"
        country = "NL"
        status = "active"
        """,
        )
    )
    assert "former operator 'ghost' does not exist" in message


def test_parent_cycle(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "a"
        name = "A"
        kind = "company"
        parent = "b"

        [[entity]]
        id = "b"
        name = "B"
        kind = "company"
        parent = "a"
        """,
        )
    )
    assert "parent cycle" in message


def test_alias_clash(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "one"
        name = "One"
        kind = "company"
        aliases = ["Common Name"]

        [[entity]]
        id = "two"
        name = "Two"
        kind = "company"
        aliases_fr = ["common name"]
        """,
        )
    )
    assert "alias clash" in message
    assert "one, two" in message


def test_alias_clash_allowed_when_listed_as_ambiguous(tmp_path: Path) -> None:
    kb = load_kb(
        write_kb(
            tmp_path,
            """
        [ambiguous]
        "Common Name" = "two"

        [[entity]]
        id = "one"
        name = "One"
        kind = "company"
        aliases = ["Common Name"]

        [[entity]]
        id = "two"
        name = "Two"
        kind = "company"
        aliases = ["Common Name"]
        """,
        )
    )
    preferred = kb.preferred("common name")
    assert preferred is not None and preferred.kb_id == "two"
    assert [e.kb_id for name, e in kb.names("nl") if name == "Common Name"] == ["two", "one"]


def test_ambiguous_entry_must_name_an_owner(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [ambiguous]
        "Common Name" = "one"

        [[entity]]
        id = "one"
        name = "One"
        kind = "company"
        """,
        )
    )
    assert "is not an alias of 'one'" in message


def test_same_alias_in_different_languages_is_fine(tmp_path: Path) -> None:
    kb = load_kb(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "one"
        name = "One"
        kind = "company"
        aliases_nl = ["Shared"]

        [[entity]]
        id = "two"
        name = "Two"
        kind = "company"
        aliases_de = ["Shared"]
        """,
        )
    )
    assert validate(kb) == []


def test_bad_wikidata(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "acme"
        name = "Acme"
        kind = "company"
        wikidata = "q12x"
        """,
        )
    )
    assert "wikidata 'q12x'" in message


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('id = "Bad_Id"\nname = "X"\nkind = "company"', "lowercase slug"),
        ('id = "x"\nname = "X"\nkind = "dealer"', "kind 'dealer'"),
        ('id = "x"\nname = "X"\nkind = "company"\ncountry = "nld"', "ISO 3166-1"),
        ('id = "x"\nname = "X"\nkind = "company"\nalias = ["Y"]', "unknown field(s): alias"),
        ('id = "x"\nkind = "company"', "'name' is required"),
        ('id = "x"\nname = "X"\nkind = "company"\ncase_sensitive = "yes"', "true or false"),
    ],
)
def test_bad_entries(tmp_path: Path, entry: str, expected: str) -> None:
    message = load_error(write_kb(tmp_path, f"[[entity]]\n{entry}\n"))
    assert expected in message


def test_bad_plant_status(tmp_path: Path) -> None:
    message = load_error(
        write_kb(
            tmp_path,
            """
        [[entity]]
        id = "acme"
        name = "Acme"
        kind = "company"
        """,
            """
        [[plant]]
        id = "works"
        name = "Works"
        operator = "acme"
        city = "Born"
        country = "NL"
        status = "demolished"
        """,
        )
    )
    assert "status 'demolished'" in message


def test_unreadable_toml(tmp_path: Path) -> None:
    (tmp_path / "companies.toml").write_text("version = ", encoding="utf-8")
    assert "companies.toml" in load_error(tmp_path)


def test_missing_companies_file(tmp_path: Path) -> None:
    assert "missing" in load_error(tmp_path)


def test_kb_error_lists_problems(tmp_path: Path) -> None:
    write_kb(
        tmp_path,
        """
        [[entity]]
        id = "a"
        name = "A"
        kind = "brand"
        parent = "x"
        wikidata = "Z1"
        """,
    )
    with pytest.raises(KBError) as caught:
        load_kb(tmp_path)
    assert len(caught.value.problems) == 2
