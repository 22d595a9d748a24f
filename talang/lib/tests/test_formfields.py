"""Choice fields that share their choices between forms stay independent where it matters;
the error summary reads well."""

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


class _Questions(forms.Form):
    channel = forms.CharField(label="How should we reach you?")
    name = forms.CharField(label="Name")

    def clean(self):
        raise forms.ValidationError("Nothing was saved.")


def test_the_staff_error_summary_reads_as_the_public_one():
    """form_errors.html (the staff pages) lists the form-wide errors first, then each field's
    error after its label, a question without a colon, each linked to its field."""
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("form_errors.html", {"form": _Questions(data={})})
    assert html.index("Nothing was saved.") < html.index("How should we reach you?")
    assert '<a href="#id_channel">How should we reach you? This field is required.</a>' in html
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    assert "?:" not in html
    assert render_to_string("form_errors.html", {"form": _Questions()}).strip() == ""
