"""Choice fields that share their choices between forms stay independent where it matters."""

from django import forms

from talang.lib.formfields import FixedChoiceField


class Example(forms.Form):
    colour = FixedChoiceField(choices=[("red", "Red"), ("blue", "Blue")], required=False)


def test_each_form_gets_its_own_field_and_widget():
    first, second = Example(), Example()
    assert first.fields["colour"] is not second.fields["colour"]
    assert first.fields["colour"].widget is not second.fields["colour"].widget
    first.fields["colour"].widget.attrs["class"] = "wide"
    first.fields["colour"].choices = [("green", "Green")]
    assert second.fields["colour"].widget.attrs == {}
    assert second.fields["colour"].choices == [("red", "Red"), ("blue", "Blue")]
    assert Example().fields["colour"].widget.choices == [("red", "Red"), ("blue", "Blue")]
    assert first.fields["colour"].widget.choices == [("green", "Green")]


def test_it_validates_as_a_choice_field():
    assert Example({"colour": "blue"}).is_valid()
    form = Example({"colour": "purple"})
    assert not form.is_valid() and "colour" in form.errors
