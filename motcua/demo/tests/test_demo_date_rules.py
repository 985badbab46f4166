"""The demo catalogue's date fields say which side of today they are on (dossiers.form_data checks it)."""

import json

from motcua.demo.seed import DATA_DIR


def test_every_demo_date_field_says_which_side_of_today_it_is_on():
    procedures = json.loads((DATA_DIR / "procedures.json").read_text(encoding="utf-8"))
    rules = {
        (p["code"], f["key"]): f.get("date_rule", "")
        for p in procedures
        for f in p["form"]
        if f["kind"] == "date"
    }

    assert {k: r for k, r in rules.items() if "birth" in k[1] or "issue" in k[1]} == {
        k: "past" for k in rules if "birth" in k[1] or "issue" in k[1]
    }
    assert rules[("1.000656", "date_of_death")] == "past"
    assert rules[("1.004194", "stay_until")] == "future"
    assert {rules[k] for k in rules if k[1] in ("start_date", "end_date")} == {"future"}
    # A business may report a termination that already happened or is coming.
    assert rules[("1.001266", "termination_date")] == ""
