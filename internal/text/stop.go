package text

import (
	"strings"
	"unicode/utf8"
)

// stopLists holds function words per language. They are cut before stemming:
// they carry no story signal and would otherwise dominate early IDF, when the
// stream has not yet shown that they occur everywhere.
var stopLists = map[string]string{
	"en": `a about above after again against ago all also am an and any are aren't as at be because been before being
below between both but by can could did do does doing don't down during each even ever every few for from further
had has have having he her here hers herself him himself his how however i if in into is isn't it it's its itself
just last least less let like made make many may me might more most much must my myself near new no nor not now of
off often on once one only or other our ours ourselves out over own per said same say says she should since so some
such than that the their theirs them themselves then there these they this those though through to too under until
up upon us very was wasn't we were weren't what when where whether which while who whom whose why will with within
without would yet you your yours yourself yourselves s t re ve ll d m told according also around another back
still well way get got go going see seen take took come came use used want wants yes reuters ap afp pm am mr mrs ms
next first two three four five six seven eight nine ten`,
	"de": `aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm andern
anders auch auf aus bei bin bis bist da damit dann das dass daß dein deine deinem deinen deiner dem den denn der des
dessen dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einig
einige einigem einigen einiger einiges einmal er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder
jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte machen man manche
manchem manchen mancher manches mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch
nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind so solche solchem solchen
solcher solches soll sollte sondern sonst über um und uns unsere unserem unseren unser unseres unter viel vom von vor
während war waren warst was weg weil weiter welche welchem welchen welcher welches wenn werde werden wie wieder will
wir wird wirst wo wollen wollte würde würden zu zum zur zwar zwischen laut sagte seit bereits schon mehr sei wurde
wurden worden immer`,
	"fr": `a ai aie aient aies ait alors as au aucun aucune aussi autre aux avaient avais avait avant avec avez aviez
avoir avons ayant c ça car ce ceci cela celle celles celui cependant ces cet cette ceux chaque ci comme comment d dans
de depuis des deux dont du elle elles en encore entre es est et étaient était été être eu eux fait faire fut hors ici
il ils j je jusqu l la là le les leur leurs lui m ma mais me même mes moi moins mon n ne ni nos notre nous on ont ou
où par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans se selon ses si
sien son sont sous sur t ta te tes toi ton tous tout toute toutes très tu un une vos votre vous y a été selon lors
après ainsi déjà dit`,
	"es": `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde dos durante e el él
ella ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta está estaba estaban estado están
estar este esto estos fue fueron fui ha haber había habían han has hasta hay la las le les lo los más me mi mis
mucho muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque que qué quien quienes se sea
ser si sí sido sin sobre son su sus también tanto te tiene tienen todo todos tras tu tus un una uno unos y ya yo
según además dijo puede ser así cada sólo solo año años`,
	"pt": `a ao aos aquela aquelas aquele aqueles aquilo as até com como da das de dela delas dele deles depois do dos e
é ela elas ele eles em entre era eram essa essas esse esses esta está estão estas este estes eu foi foram há isso
isto já lhe lhes mais mas me mesmo meu minha muito na não nas nem no nos nós nossa nosso num numa o os ou para pela
pelas pelo pelos por qual quando que quem se sem ser seu seus sua suas só também te tem têm ter um uma umas uns
você vocês sobre segundo disse ainda após cada pode`,
	"it": `a ad agli ai al alla alle allo anche avere aveva c che chi ci come con contro cui da dagli dai dal dalla
dalle dallo degli dei del della delle dello di dopo dove e è ed era essere gli ha hanno i il in io la le lei li lo
loro lui ma mi ne negli nei nel nella nelle nello noi non nostro o per perché più poi quale quando quella quelle
quelli quello questa queste questi questo se sei si sia siamo sono su sua sue sugli sui sul sulla sulle suo suoi
tra tu tutti tutto un una uno vi voi stato stata essere ancora già secondo fa detto`,
	"id": `ada adalah adanya agar akan aku anda antara apa apakah atau bagi bahwa banyak baru belum bisa dalam dan
dapat dari demikian dengan di dia dua hanya harus hingga ia ialah ini itu jika juga kami kamu karena ke kata
kemudian kepada ketika lagi lain lalu lebih maka mana masih mereka meski namun oleh pada para pun saat saja sama
sampai satu sebagai sebelum sedang sejak sekitar semua sendiri seperti serta setelah sudah tahun telah tentang
tersebut tetapi tidak untuk yaitu yang`,
	"ru": `а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его ее
её если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо мне может мы на над надо наш не него нее
неё нет ни них но ну о об однако он она они оно от очень по под после при про с со так также такой там те тем то
того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это я который которые которая
которых котором году года заявил сообщает`,
	"tr": `acaba ama ancak bazı belki ben beni benim bir biri birkaç birşey biz bize bizi bu buna bunda bundan bunu
bunun çok çünkü da daha de defa diye en gibi hem hep hepsi her hiç için ile ise kadar ki kim mı mi mu mü nasıl ne
neden nerde nerede nereye niçin niye o olan olarak oldu olduğu olduğunu olmak olması onlar onu onun şey şu siz
sonra tarafından ve veya ya yani yine yılında değil kendi ayrıca göre üzere ilgili`,
	"pl": `a aby ale bardzo bez być był była były było bo by chociaż co czy dla do gdy gdzie go i ich ile im innych
jak jako je jego jej jest jeszcze jeśli już każdy kiedy kto która które którego której który których ku lub ma mają
mi mnie może można na nad nam nas nich nie niej nim niż o od oraz po pod podczas przed przez przy się sobie są ta
tak także tam te tego tej ten też to tu tych tylko w we więc wszystko z za ze że żeby roku lat według powiedział`,
	"ar": `في من على إلى الى عن مع أن ان إن هذا هذه ذلك التي الذي الذين كان كانت يكون قد لا ما لم لن أو او و ثم
بعد قبل عند حتى كل بين هو هي هم نحن أنا كما أي اي إذا اذا لكن بل غير أكثر منذ خلال حيث وقد وفي ومن وعلى أيضا ايضا
تم وقال قال وأن فى عام أمس اليوم لدى لدي نحو دون حول عبر ضد أمام خلف تحت فوق وراء قرب ضمن وفق بدون سوى إلا أم
لأن كي لكي حين حينما عندما بينما كلما لما مما ممن عما فيما بما إذ كأن هن هما أنت أنتم تلك هؤلاء أولئك هنا هناك
هنالك اللذين اللتين اللذان اللتان اللواتي اللاتي هل ماذا لماذا كيف متى أين ليس ليست ليسوا كانوا تكون يكن أصبح
أصبحت صار ظل مازال لايزال لقد سوف بعض جميع كافة عدة أحد إحدى معظم له لها لهم لهما لنا لي به بها بهم عليه عليها
عليهم إليه إليها إليهم منه منها منهم فيه فيها فيهم عنه عنها عنهم معه معها معهم لديه لديها لديهم عنده عندها بينهم
أنه أنها أنهم إنه إنها إنهم لأنه لأنها قالت أضاف أضافت أكد أكدت أشار أشارت ذكر ذكرت أوضح وفقا حسب بحسب الآن حاليا
فقط كذلك جدا يتم ذات نفس`,
	"nl": `de het een en van in is op te dat die voor met zijn aan er niet als om ook maar bij of uit nog naar door
over dan wel heeft hebben was werd worden wordt deze dit zo al tot na geen kan meer`,
}

var stopSets = func() map[string]map[string]bool {
	m := make(map[string]map[string]bool, len(stopLists))
	for lang, list := range stopLists {
		set := make(map[string]bool)
		for _, w := range strings.Fields(list) {
			set[w] = true
		}
		m[lang] = set
	}
	// Arabic words are looked up in their normalised spelling.
	set := make(map[string]bool, len(m["ar"]))
	for w := range m["ar"] {
		set[NormalizeArabic(w)] = true
	}
	m["ar"] = set
	return m
}()

// IsStop reports whether the lowercase word w is a function word in lang.
// English function words count in every language: English phrases and
// captions turn up inside articles in any language. Arabic words are
// compared in NormalizeArabic's spelling, and و or ف fused to a function
// word is one too.
func IsStop(lang, w string) bool {
	if lang == "ar" {
		w = NormalizeArabic(w)
		// "and"/"so" fused to a function word (وهو، فإن، ولكن) leaves
		// a function word.
		if r, n := utf8.DecodeRuneInString(w); (r == 'و' || r == 'ف') && stopSets["ar"][w[n:]] {
			return true
		}
	}
	if s, ok := stopSets[lang]; ok && s[w] {
		return true
	}
	return stopSets["en"][w]
}
