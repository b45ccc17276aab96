"""The edge selects' options are built in Python for speed; they must still escape every name."""

from __future__ import annotations

from funnels.presenters.editor import escaped_targets, target_options


def test_options_escape_names_and_keys_and_mark_the_selected_one():
    options = escaped_targets([("up1", '<script>alert(1)</script> "Calls"'), ("down1", "One & only call")])
    html = target_options(options, own="nobody", selected="down1")
    assert html == (
        '<option value="up1">&lt;script&gt;alert(1)&lt;/script&gt; &quot;Calls&quot;</option>'
        '<option value="down1" selected>One &amp; only call</option>'
    )


def test_a_step_is_not_offered_as_its_own_target():
    options = escaped_targets([("up1", "Calls"), ("down1", "Call")])
    assert target_options(options, own="up1", selected="") == '<option value="down1">Call</option>'
